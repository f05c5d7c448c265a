/** `lcctl logs job/NAME`: the pod of a Job whose log to show, chosen as kubectl does. */
import type { Job } from '../../api/schema/job.js';
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import type { Target } from '../pods/resolve.js';

const phaseRank: Record<string, number> = { Running: 0, Succeeded: 1, Failed: 2, Pending: 3 };

/** For "job/NAME" (job., jobs., job.batch/): one of its pods, running ones first, then the newest; undefined for other refs. */
export async function jobLogTarget(client: HttpClient, ns: string, ref: string): Promise<Target | undefined> {
  const m = /^(job|jobs|job\.batch|jobs\.batch)\/(.+)$/i.exec(ref);
  if (!m) return undefined;
  const name = m[2]!;
  const job = await client.get<Job>('jobs', name, ns);
  const pods = (await client.list<Pod>('pods', ns, { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items
    .filter((p) => (p.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === job.metadata.uid));
  if (pods.length === 0) throw new Error(`job ${name} has no pods yet: see lcctl describe job ${name}`);
  pods.sort((a, b) => (phaseRank[a.status?.phase ?? 'Pending'] ?? 4) - (phaseRank[b.status?.phase ?? 'Pending'] ?? 4)
    || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  const pod = pods[0]!;
  if (pods.length > 1) process.stderr.write(`Found ${pods.length} pods, using pod/${pod.metadata.name}\n`);
  return { pod, ref };
}
