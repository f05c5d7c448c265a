/** Owner references: who controls an object, and the cascade when the owner goes. */
import type { ApiObject, OwnerReference } from '../../api/meta.js';
import type { ApiClient } from '../types.js';
import { ignoreErrors } from './errors.js';

type WithOwners = { metadata: { ownerReferences?: OwnerReference[] } };

/** The controller owner reference of an object, if any. */
export const controllerOf = (o: WithOwners): OwnerReference | undefined =>
  o.metadata.ownerReferences?.find((r) => r.controller === true);

/** True when owner (by uid) is the object's controller. */
export const isControlledBy = (o: WithOwners, owner: { metadata: { uid?: string } }): boolean =>
  owner.metadata.uid !== undefined && controllerOf(o)?.uid === owner.metadata.uid;

/** A controller reference to owner, for the objects it creates (blockOwnerDeletion, as Kubernetes' controllers set). */
export const newControllerRef = (owner: ApiObject): OwnerReference => ({
  apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true,
});

/**
 * The cascade without a garbage collector: delete those of `candidates` (objects of `resource`) that
 * the deleted owner controlled and that are not already going, all at once; one already gone is fine.
 */
export async function deleteControlled(api: ApiClient, resource: string, owner: ApiObject, candidates: Iterable<ApiObject>): Promise<void> {
  const doomed = [...candidates].filter((c) => isControlledBy(c, owner) && !c.metadata.deletionTimestamp);
  await Promise.all(doomed.map((c) => api.delete(resource, c.metadata.name, c.metadata.namespace).catch(ignoreErrors('NotFound'))));
}
