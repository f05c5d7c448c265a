/** Resource vectors (cpu millicores, memory bytes, gpus) and how Jobs, Nodes and Queues map to them. */
import type { Job } from '../../api/schema/job.js';
import type { Node } from '../../api/node.js';
import type { Queue } from '../../api/schema/queue.js';
import { parseBytes, parseCpuMillis, parseQuantity, formatBytes } from '../../api/quantity.js';

/** An amount of each resource the queues account for. */
export interface Res { cpu: number; memory: number; gpu: number }

/** The resources, in a fixed order (messages, loops). */
export const RESOURCES: readonly (keyof Res)[] = ['cpu', 'memory', 'gpu'];

/** Nothing. */
export const zero = (): Res => ({ cpu: 0, memory: 0, gpu: 0 });
/** a + b. */
export const add = (a: Res, b: Res): Res => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory, gpu: a.gpu + b.gpu });
/** a − b. */
export const sub = (a: Res, b: Res): Res => ({ cpu: a.cpu - b.cpu, memory: a.memory - b.memory, gpu: a.gpu - b.gpu });
/** Every resource of a within limit (Infinity = unlimited). */
export const within = (a: Res, limit: Res): boolean => RESOURCES.every((r) => a[r] <= limit[r]);
/** The first resource of a over limit, if any. */
export const firstOver = (a: Res, limit: Res): keyof Res | undefined => RESOURCES.find((r) => a[r] > limit[r]);

function fromMap(m: Record<string, string | undefined> | undefined, missing: number): Res {
  const one = (v: string | undefined, parse: (s: string) => number | undefined): number => (v === undefined ? missing : parse(v) ?? missing);
  return {
    cpu: one(m?.cpu, parseCpuMillis),
    memory: one(m?.memory, parseBytes),
    gpu: one(m?.['nvidia.com/gpu'], parseQuantity),
  };
}

/** What a Job asks for while it runs: parallelism × the sum of its containers' requests. */
export function jobDemand(job: Job): Res {
  let per = zero();
  for (const c of job.spec.template.spec.containers) {
    // Kubernetes: a limit without a request makes the request equal to the limit.
    const req = { ...c.resources?.limits, ...c.resources?.requests } as Record<string, string | undefined>;
    per = add(per, fromMap(req, 0));
  }
  const n = job.spec.parallelism ?? 1;
  return { cpu: per.cpu * n, memory: per.memory * n, gpu: per.gpu * n };
}

/** The cluster: the sum of Ready, schedulable nodes' allocatable. */
export function clusterCapacity(nodes: readonly Node[]): Res {
  let total = zero();
  for (const n of nodes) {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (!ready || n.spec?.unschedulable) continue;
    total = add(total, fromMap(n.status?.allocatable ?? n.status?.capacity, 0));
  }
  return total;
}

/** A Queue's nominal quota; a resource it does not name is unlimited. */
export function queueQuota(q: Queue): Res {
  return fromMap(q.spec.quota, Infinity);
}

/** Human text of one resource amount ("8", "1500m", "64GiB"). */
export function formatOne(r: keyof Res, v: number): string {
  if (v === Infinity) return '∞';
  if (r === 'memory') return formatBytes(v);
  if (r === 'cpu') return v % 1000 === 0 ? String(v / 1000) : `${v}m`;
  return String(v);
}
