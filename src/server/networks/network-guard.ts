/**
 * The `networks` registry hook: a user-defined Network cannot be deleted while a pod is on it, as
 * Docker's `network rm` refuses a network with active endpoints (Kubernetes has no such check for
 * its network-attachment objects; here a Network is Docker's, and the agent needs it to attach pods
 * that are still coming up). Pods being deleted do not count: their agent detaches from its records.
 */
import type { ApiObject } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';
import { podAttachments } from '../../api/user-networks.js';
import { emptyReservation, type RegistryHook, type Reservation } from '../registry-hooks.js';

/** How many users a refusal names before "and N more". */
const NAMED = 5;

/** Refuses deleting a Network that live pods are on; allocates nothing. */
export class NetworkGuard implements RegistryHook {
  constructor(private readonly pods: () => Promise<readonly Pod[]>) {}

  async ready(): Promise<void> { /* nothing to load */ }
  create(): Reservation { return emptyReservation; }
  update(): Reservation { return emptyReservation; }
  deleted(): void { /* nothing held */ }

  async beforeDelete(obj: ApiObject): Promise<void> {
    const name = obj.metadata.name;
    const users = (await this.pods()).filter((p) => {
      if (p.metadata.deletionTimestamp !== undefined) return false;
      const r = podAttachments(p);
      return r.ok && r.attachments.some((a) => a.network === name);
    }).map((p) => `${p.metadata.namespace ?? 'default'}/${p.metadata.name}`);
    if (users.length === 0) return;
    const listed = users.slice(0, NAMED).join(', ') + (users.length > NAMED ? ` and ${users.length - NAMED} more` : '');
    throw new ApiError('Conflict', `network ${name} has active endpoints (${listed}): remove those containers or disconnect them (lcctl network disconnect ${name} CONTAINER) first`);
  }
}
