/** Read-modify-write of a Deployment, again on Conflict (the controller writes it too). */
import type { Deployment, ReplicaSet } from '../../api/schema/apps.js';
import type { HttpClient } from '../../client/http-client.js';
import { isCode } from '../errors.js';
import { controlledReplicaSets } from '../../api/printers/apps.js';

/** Apply change to the stored Deployment and write it; change returns false to write nothing. */
export async function updateDeployment(client: HttpClient, ns: string, name: string, change: (d: Deployment) => boolean | void): Promise<Deployment> {
  for (let attempt = 0; ; attempt++) {
    const d = await client.get<Deployment>('deployments', name, ns);
    if (change(d) === false) return d;
    try { return await client.update<Deployment>('deployments', d); } catch (e) {
      if (!isCode(e, 'Conflict') || attempt >= 5) throw e;
    }
  }
}

/** The ReplicaSets a Deployment controls, by revision. */
export async function replicaSetsOf(client: HttpClient, d: Deployment): Promise<ReplicaSet[]> {
  const list = await client.list<ReplicaSet>('replicasets', d.metadata.namespace ?? 'default');
  return controlledReplicaSets(d, list.items);
}

/** The revision number of a ReplicaSet (0 when it has none). */
export const revisionOf = (r: ReplicaSet): number => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '0') || 0;
