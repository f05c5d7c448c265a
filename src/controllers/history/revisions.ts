/**
 * ControllerRevisions: the template history of a StatefulSet or DaemonSet, as Kubernetes keeps it.
 * One revision per distinct template (named OWNER-HASH, data {spec: {template}}), numbered in the
 * order the templates were used; going back to an older template renumbers that revision as the
 * newest (a rollback is a new revision), and the oldest unused ones beyond revisionHistoryLimit go.
 */
import type { ApiObject } from '../../api/meta.js';
import type { PodTemplateSpec } from '../../api/schema/apps.js';
import type { ControllerRevision } from '../../api/schema/controllerrevision.js';
import type { ApiClient } from '../../client/types.js';
import { controllerOf, ignoreErrors, isApiError, newControllerRef } from '../../client/kit/index.js';
import { templateHash } from '../deployment/template-hash.js';

/** The label on pods (and revisions) naming the revision they were made from. */
export const revisionHashLabel = 'controller-revision-hash';

/** An owner with a pod template (StatefulSet, DaemonSet). */
export type Templated = ApiObject & { spec: { template: PodTemplateSpec; revisionHistoryLimit?: number } };

/** The template a revision holds. */
export const templateOf = (r: ControllerRevision): PodTemplateSpec | undefined =>
  (r.data as { spec?: { template?: PodTemplateSpec } } | undefined)?.spec?.template;

/** The revisions owner controls, lowest number first. */
export async function revisionsOf(api: ApiClient, owner: ApiObject): Promise<ControllerRevision[]> {
  const list = await api.list<ControllerRevision>('controllerrevisions', owner.metadata.namespace);
  return list.items.filter((r) => controllerOf(r)?.uid === owner.metadata.uid).sort((a, b) => a.revision - b.revision);
}

/** The revision of the owner's current template: created, or renumbered as the newest when it is an older one. */
export async function ensureRevision(api: ApiClient, owner: Templated, revisions: ControllerRevision[]): Promise<{ update: ControllerRevision; revisions: ControllerRevision[] }> {
  const hash = templateHash(owner.spec.template);
  const name = `${owner.metadata.name}-${hash}`;
  const top = revisions.reduce((m, r) => Math.max(m, r.revision), 0);
  const existing = revisions.find((r) => r.metadata.name === name);
  if (existing) {
    if (existing.revision === top) return { update: existing, revisions };
    const renumbered = await api.update<ControllerRevision>('controllerrevisions', { ...existing, revision: top + 1 });
    return { update: renumbered, revisions: revisions.map((r) => (r === existing ? renumbered : r)).sort((a, b) => a.revision - b.revision) };
  }
  const rev: ControllerRevision = {
    apiVersion: 'apps/v1', kind: 'ControllerRevision',
    metadata: { name, namespace: owner.metadata.namespace, labels: { ...owner.spec.template.metadata?.labels, [revisionHashLabel]: hash }, ownerReferences: [newControllerRef(owner)] },
    data: { spec: { template: owner.spec.template } },
    revision: top + 1,
  };
  let created: ControllerRevision;
  try {
    created = await api.create<ControllerRevision>('controllerrevisions', rev);
  } catch (e) {
    if (!isApiError(e, 'AlreadyExists')) throw e;
    // Made by an earlier pass whose list we have not seen, or left by a deleted owner of the same name.
    const found = await api.get<ControllerRevision>('controllerrevisions', name, owner.metadata.namespace);
    if (controllerOf(found)?.uid !== owner.metadata.uid) {
      await api.delete('controllerrevisions', name, owner.metadata.namespace).catch(ignoreErrors('NotFound'));
      throw e;
    }
    created = found;
  }
  return { update: created, revisions: [...revisions, created] };
}

/** Delete the oldest revisions beyond revisionHistoryLimit that no live pod and neither revision in `keep` uses. */
export async function trimHistory(api: ApiClient, owner: Templated, revisions: ControllerRevision[], keep: ReadonlySet<string>): Promise<void> {
  const limit = owner.spec.revisionHistoryLimit ?? 10;
  const unused = revisions.filter((r) => !keep.has(r.metadata.name) && !keep.has(r.metadata.labels?.[revisionHashLabel] ?? ''));
  const extra = unused.length - limit;
  for (const r of unused.slice(0, Math.max(0, extra))) {
    await api.delete('controllerrevisions', r.metadata.name, r.metadata.namespace).catch(ignoreErrors('NotFound'));
  }
}

/** The revisions of a deleted owner go with it. */
export async function deleteRevisions(api: ApiClient, owner: ApiObject): Promise<void> {
  for (const r of await revisionsOf(api, owner)) await api.delete('controllerrevisions', r.metadata.name, r.metadata.namespace).catch(ignoreErrors('NotFound'));
}
