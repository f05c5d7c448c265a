/** Rules for the pod template of a Deployment or ReplicaSet (checked as the pods it will make). */
import type { FieldCause } from '../errors.js';
import type { LabelSelector } from '../schema/pod.js';
import type { PodTemplateSpec } from '../schema/apps.js';
import type { Pod } from '../pod.js';
import { parseLabelSelector } from '../selectors.js';
import { labelSelectorMatches, selectorText } from '../label-selector.js';
import { podKind } from './pod.js';

/** A template as the pod it would make (a placeholder name, since pods get generated names). */
function asPod(t: PodTemplateSpec, namespace: string | undefined): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...t.metadata, name: 'template', namespace }, spec: t.spec };
}

/** Selector and template rules shared by Deployment and ReplicaSet, with field paths under spec. */
export function checkSelectorAndTemplate(selector: LabelSelector, template: PodTemplateSpec, namespace: string | undefined): FieldCause[] {
  const out: FieldCause[] = [];
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  if (empty) out.push({ field: 'spec.selector', message: 'empty selector is invalid for deployment: name the labels of the template, e.g. matchLabels: {app: web}' });
  else {
    try { parseLabelSelector(selectorText(selector)); } catch (e) { out.push({ field: 'spec.selector', message: e instanceof Error ? e.message : String(e) }); }
    if (!labelSelectorMatches(selector, template.metadata?.labels)) {
      out.push({ field: 'spec.template.metadata.labels', message: '`selector` does not match template `labels`: every pod the template makes must be selected by spec.selector' });
    }
  }
  const restart = template.spec.restartPolicy;
  if (restart !== undefined && restart !== 'Always') out.push({ field: 'spec.template.spec.restartPolicy', message: `Unsupported value: ${JSON.stringify(restart)}: supported values: "Always"` });
  for (const c of podKind.validate(asPod(template, namespace))) {
    if (c.field === 'metadata.name') continue;
    out.push({ field: `spec.template.${c.field}`, message: c.message });
  }
  return out;
}

/** Apply the pod defaults to a template, so the template hash does not change when pods are made. */
export function defaultTemplate(template: PodTemplateSpec): void {
  const pod = asPod(template, undefined);
  podKind.applyDefaults(pod);
  template.spec = pod.spec;
}
