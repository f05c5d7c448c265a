/**
 * Upper bounds on what a node may claim in capacity and allocatable. The scheduler believes these
 * numbers, so a node that claimed 100000 CPUs drew work (and its Secrets) to itself. The bounds are
 * what a real machine can have; a node claiming more is refused.
 */
import type { FieldCause } from '../../api/errors.js';
import type { NodeStatus } from '../../api/node.js';
import { parseQuantity } from '../../api/quantity.js';
import { checkLabelKey } from '../../api/names.js';

const Ti = 2 ** 40;

/** The largest claim per resource, with why; see docs/architecture.md "Node restriction". */
export const resourceBounds = {
  /** Linux's NR_CPUS ceiling (CONFIG_MAXSMP): no kernel runs on more logical CPUs. */
  cpu: { max: 8192, text: '8192 (the most logical CPUs a Linux kernel supports)' },
  /** 2^46 bytes: the physical address space of x86-64 with 4-level paging; the largest machines sold hold 48 TB. */
  memory: { max: 64 * Ti, text: '64Ti (the physical address space of x86-64 with 4-level paging)' },
  /** Two orders of magnitude above Kubernetes' 110 per node, so any real --max-pods fits. */
  pods: { max: 10_000, text: '10000' },
  /** 2^53 bytes (8Pi): beyond it the scheduler's numbers stop being exact. */
  storage: { max: 2 ** 53, text: '8Pi (2^53 bytes)' },
  /** Devices (nvidia.com/gpu, ...): whole numbers, at most this many of one kind on one machine. */
  extended: { max: 65_536, text: '65536' },
} as const;

function boundFor(name: string): { max: number; text: string; whole: boolean } | undefined {
  if (name === 'cpu') return { ...resourceBounds.cpu, whole: false };
  if (name === 'memory' || /^hugepages-[0-9]+(Ki|Mi|Gi|k|M|G)?$/.test(name)) return { ...resourceBounds.memory, whole: false };
  if (name === 'pods') return { ...resourceBounds.pods, whole: true };
  if (name === 'ephemeral-storage' || name === 'storage') return { ...resourceBounds.storage, whole: false };
  if (name.includes('/') && checkLabelKey(name) === undefined) return { ...resourceBounds.extended, whole: true };
  return undefined;
}

/** What a node may not claim in its status; empty when its claims are within bounds. */
export function resourceClaimCauses(status: NodeStatus | undefined): FieldCause[] {
  const out: FieldCause[] = [];
  for (const kind of ['capacity', 'allocatable'] as const) {
    for (const [name, q] of Object.entries(status?.[kind] ?? {})) {
      const field = `status.${kind}.${name}`;
      const bound = boundFor(name);
      if (!bound) {
        out.push({ field, message: 'unknown resource name: a node reports cpu, memory, pods, ephemeral-storage, hugepages-<size> or a device as DOMAIN/NAME (e.g. nvidia.com/gpu)' });
        continue;
      }
      const v = parseQuantity(q);
      if (v === undefined || v < 0) continue; // the kind's own validation names it (Invalid)
      if (v > bound.max) out.push({ field, message: `claims ${JSON.stringify(q)}, more than a machine can have: at most ${bound.text}` });
      else if (bound.whole && !Number.isInteger(v)) out.push({ field, message: `must be a whole number, got ${JSON.stringify(q)}` });
    }
  }
  return out;
}
