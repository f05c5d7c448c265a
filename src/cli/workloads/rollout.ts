/**
 * `lcctl rollout status|history|undo|restart` for statefulset/NAME and daemonset/NAME: the same verbs
 * as for Deployments, over the ControllerRevisions the controllers keep (as kubectl does).
 */
import type { ApiObject } from '../../api/meta.js';
import type { PodTemplateSpec } from '../../api/schema/apps.js';
import type { ControllerRevision } from '../../api/schema/controllerrevision.js';
import type { StatefulSet } from '../../api/schema/statefulset.js';
import type { DaemonSet } from '../../api/schema/daemonset.js';
import type { HttpClient } from '../../client/http-client.js';
import { CliError, isCode } from '../errors.js';
import { renderTable, kubeStyle } from '../output/table.js';
import type { RolloutState } from '../deployments/rollout-status.js';
import { daemonSetRolloutState, statefulSetRolloutState } from './rollout-status.js';

/** The two kinds these verbs take besides deployments. */
export type WorkloadResource = 'statefulsets' | 'daemonsets';
type Workload = ApiObject & { spec: { template: PodTemplateSpec } };

const qualified = (r: WorkloadResource): string => (r === 'statefulsets' ? 'statefulset.apps' : 'daemonset.apps');
const templateOf = (r: ControllerRevision): PodTemplateSpec | undefined => (r.data as { spec?: { template?: PodTemplateSpec } } | undefined)?.spec?.template;

/** The state kubectl would print for the object now. */
export const rolloutStateOf = (resource: WorkloadResource, o: ApiObject): RolloutState =>
  resource === 'statefulsets' ? statefulSetRolloutState(o as StatefulSet) : daemonSetRolloutState(o as DaemonSet);

async function update(client: HttpClient, resource: WorkloadResource, ns: string, name: string, change: (o: Workload) => boolean | void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const o = await client.get<Workload>(resource, name, ns);
    if (change(o) === false) return;
    try { await client.update<Workload>(resource, o); return; } catch (e) {
      if (!isCode(e, 'Conflict') || attempt >= 5) throw e;
    }
  }
}

async function revisions(client: HttpClient, o: ApiObject): Promise<ControllerRevision[]> {
  const list = await client.list<ControllerRevision>('controllerrevisions', o.metadata.namespace ?? 'default');
  return list.items.filter((r) => r.metadata.ownerReferences?.some((x) => x.controller && x.uid === o.metadata.uid)).sort((a, b) => a.revision - b.revision);
}

/** `rollout history`: REVISION CHANGE-CAUSE, or one revision's pod template. */
export async function workloadHistory(client: HttpClient, resource: WorkloadResource, ns: string, name: string, revision: number | undefined): Promise<string> {
  const o = await client.get<Workload>(resource, name, ns);
  const revs = await revisions(client, o);
  if (revision !== undefined && revision > 0) {
    const r = revs.find((x) => x.revision === revision);
    if (!r) throw new CliError(`unable to find the specified revision ${revision}`);
    const { toYaml } = await import('../output/yaml.js');
    return `${qualified(resource)}/${name} with revision #${revision}\nPod Template:\n${(await toYaml(templateOf(r) ?? {})).replace(/^/gm, '  ')}`;
  }
  const rows = revs.map((r) => [String(r.revision), r.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>']);
  return `${qualified(resource)}/${name}\n${renderTable(['REVISION', 'CHANGE-CAUSE'], rows, kubeStyle)}`;
}

/** `rollout undo`: put back the template of --to-revision, or of the revision before the newest. */
export async function workloadUndo(client: HttpClient, resource: WorkloadResource, ns: string, name: string, toRevision: number): Promise<string> {
  const o = await client.get<Workload>(resource, name, ns);
  const revs = await revisions(client, o);
  const newest = revs.at(-1)?.revision ?? 0;
  const target = toRevision > 0 ? revs.find((r) => r.revision === toRevision) : [...revs].reverse().find((r) => r.revision < newest);
  const template = target ? templateOf(target) : undefined;
  if (!target || !template) throw new CliError(toRevision > 0 ? `unable to find specified revision ${toRevision} in history` : `no rollout history found for ${qualified(resource)} "${name}"`);
  let skipped = false;
  await update(client, resource, ns, name, (x) => {
    skipped = JSON.stringify(x.spec.template) === JSON.stringify(template);
    if (skipped) return false;
    x.spec.template = structuredClone(template);
    return true;
  });
  return skipped ? `${qualified(resource)}/${name} skipped rollback (current template already matches revision ${target.revision})` : `${qualified(resource)}/${name} rolled back`;
}

/** `rollout restart`: a new restartedAt annotation on the template makes every pod new. */
export async function workloadRestart(client: HttpClient, resource: WorkloadResource, ns: string, name: string): Promise<string> {
  await update(client, resource, ns, name, (o) => {
    const t = o.spec.template;
    t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } };
  });
  return `${qualified(resource)}/${name} restarted`;
}

/** `scale statefulset/NAME --replicas=N` (optionally only from --current-replicas). */
export async function scaleStatefulSet(client: HttpClient, ns: string, name: string, replicas: number, current: number | undefined): Promise<string> {
  await update(client, 'statefulsets', ns, name, (o) => {
    const s = o as unknown as StatefulSet;
    if (current !== undefined && (s.spec.replicas ?? 1) !== current) throw new CliError(`Expected replicas to be ${current}, was ${s.spec.replicas ?? 1}`);
    s.spec.replicas = replicas;
  });
  return `statefulset.apps/${name} scaled`;
}
