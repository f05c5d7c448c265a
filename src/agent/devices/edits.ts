/** ContainerEdits put together: several providers' and the pod's own (host devices, cgroup rules). */
import type { ContainerEdits } from './types.js';

/** b's edits after a's: env b wins, device nodes and mounts by container path (first wins), rules appended. */
export function mergeEdits(a: ContainerEdits, b: ContainerEdits | undefined): ContainerEdits {
  if (!b) return a;
  const out: ContainerEdits = {};
  const env = { ...a.env, ...b.env };
  if (Object.keys(env).length > 0) out.env = env;
  const nodes = [...a.deviceNodes ?? []];
  for (const d of b.deviceNodes ?? []) if (!nodes.some((x) => x.path === d.path)) nodes.push(d);
  if (nodes.length > 0) out.deviceNodes = nodes;
  const mounts = [...a.mounts ?? []];
  for (const m of b.mounts ?? []) if (!mounts.some((x) => x.destination === m.destination)) mounts.push(m);
  if (mounts.length > 0) out.mounts = mounts;
  const rules = [...a.deviceCgroupRules ?? [], ...b.deviceCgroupRules ?? []];
  if (rules.length > 0) out.deviceCgroupRules = rules;
  return out;
}
