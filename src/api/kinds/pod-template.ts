/** Rules for the pod template of a Deployment or ReplicaSet (checked as the pods it will make). */
import type { FieldCause } from '../errors.js';
import type { LabelSelector } from '../schema/pod.js';
import type { PodTemplateSpec } from '../schema/apps.js';
import type { Pod } from '../pod.js';
import { parseLabelSelector } from '../selectors.js';
import { podKind } from './pod.js';

/** A template as the pod it would make (a placeholder name, since pods get generated names). */
function asPod(t: PodTemplateSpec, namespace: string | undefined): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...t.metadata, name: 'template', namespace }, spec: t.spec };
}

/** The text form of a LabelSelector ("app=web,tier in (a,b)"), as the API's labelSelector parameter. */
export function selectorText(sel: LabelSelector): string {
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of sel.matchExpressions ?? []) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${(r.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

/** Does sel (structured) select labels? An empty selector selects everything. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const r of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const vals = r.values ?? [];
    if (r.operator === 'Exists' && !has) return false;
    if (r.operator === 'DoesNotExist' && has) return false;
    if (r.operator === 'In' && (!has || !vals.includes(l[r.key]!))) return false;
    if (r.operator === 'NotIn' && has && vals.includes(l[r.key]!)) return false;
  }
  return true;
}

/** Selector and template rules shared by Deployment and ReplicaSet, with field paths under spec. */
export function checkSelectorAndTemplate(selector: LabelSelector, template: PodTemplateSpec, namespace: string | undefined): FieldCause[] {
  const out: FieldCause[] = [];
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  if (empty) out.push({ field: 'spec.selector', message: 'empty selector is invalid for deployment: name the labels of the template, e.g. matchLabels: {app: web}' });
  else {
    try { parseLabelSelector(selectorText(selector)); } catch (e) { out.push({ field: 'spec.selector', message: e instanceof Error ? e.message : String(e) }); }
    if (!selectorMatches(selector, template.metadata?.labels)) {
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
