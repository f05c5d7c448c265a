/**
 * The DaemonSet controller's decision, pure: which nodes get a pod and which pods go now, as
 * Kubernetes' manage() and rollingUpdate() do in one pass. Every node that should run the daemon
 * has exactly one pod (failed ones replaced, extras and pods on nodes that no longer match
 * removed); RollingUpdate then replaces old pods within maxUnavailable (delete first) or maxSurge
 * (new pod first, old one deleted once the new one is available); OnDelete replaces none.
 */

/** What the plan knows about one node. */
export interface DsNode { name: string; shouldRun: boolean }

/** What the plan knows about one pod of the set. */
export interface DsPod {
  name: string;
  node: string | undefined;
  /** At the update revision (its controller-revision-hash is the current template's). */
  updated: boolean;
  failed: boolean;
  available: boolean;
  terminating: boolean;
  created: number;
}

/** The strategy, resolved against desiredNumberScheduled. */
export interface DsStrategy { rollingUpdate: boolean; maxUnavailable: number; maxSurge: number }

/** What to do now. */
export interface DsPlan { create: string[]; delete: string[] }

/**
 * One pass over the set's nodes and pods. `held`: nodes whose last pod failed lately, which get no
 * new pod until their back-off ends (Kubernetes' failedPodsBackoff), so a failing pod is not a hot loop.
 */
export function planDaemonSet(nodes: readonly DsNode[], pods: readonly DsPod[], strategy: DsStrategy, held: ReadonlySet<string> = new Set()): DsPlan {
  const out: DsPlan = { create: [], delete: [] };
  const byNode = new Map<string, DsPod[]>();
  for (const p of pods) {
    const list = byNode.get(p.node ?? '') ?? [];
    list.push(p);
    byNode.set(p.node ?? '', list);
  }
  const known = new Set(nodes.map((n) => n.name));
  // Pods for nodes that are gone (or that name none) go.
  for (const [node, list] of byNode) if (!known.has(node)) for (const p of list) if (!p.terminating) out.delete.push(p.name);

  const settled: { node: string; old?: DsPod; fresh?: DsPod }[] = [];
  for (const n of nodes) {
    const list = byNode.get(n.name) ?? [];
    const live = list.filter((p) => !p.terminating);
    if (!n.shouldRun) { for (const p of live) out.delete.push(p.name); continue; }
    const failed = live.filter((p) => p.failed);
    for (const p of failed) out.delete.push(p.name);
    const running = live.filter((p) => !p.failed).sort((a, b) => a.created - b.created);
    if (running.length === 0) {
      // A failed or terminating pod first goes; the new one comes next pass (host ports, names).
      if (failed.length === 0 && list.length === live.length && !held.has(n.name)) out.create.push(n.name);
      continue;
    }
    // One pod per revision at most: the oldest of each stays (an old and a new one is a surge).
    let old = running.find((p) => !p.updated);
    let fresh = running.find((p) => p.updated);
    for (const p of running) if (p !== old && p !== fresh) out.delete.push(p.name);
    if (old && fresh && !(strategy.rollingUpdate && strategy.maxSurge > 0)) {
      // Without surge a node keeps one pod: the oldest, as Kubernetes does.
      const keepOld = old.created <= fresh.created;
      out.delete.push(keepOld ? fresh.name : old.name);
      if (keepOld) fresh = undefined; else old = undefined;
    }
    settled.push({ node: n.name, ...(old ? { old } : {}), ...(fresh ? { fresh } : {}) });
  }
  if (!strategy.rollingUpdate) return out;
  return rollingUpdate(out, settled, nodes.filter((n) => n.shouldRun).length, strategy);
}

function rollingUpdate(out: DsPlan, settled: { node: string; old?: DsPod; fresh?: DsPod }[], desired: number, s: DsStrategy): DsPlan {
  const doomed = new Set(out.delete);
  if (s.maxSurge > 0) {
    let surging = settled.filter((x) => x.old && x.fresh).length;
    for (const x of settled) {
      if (!x.old || doomed.has(x.old.name)) continue;
      if (x.fresh) { if (x.fresh.available) out.delete.push(x.old.name); continue; }
      // An unavailable old pod is replaced at once; an available one within the surge budget.
      if (!x.old.available) out.create.push(x.node);
      else if (surging < s.maxSurge) { out.create.push(x.node); surging++; }
    }
    return out;
  }
  // Delete first: unavailable old pods cost nothing; available ones while under maxUnavailable.
  let unavailable = desired - settled.filter((x) => (x.fresh ?? x.old)?.available).length;
  const olds = settled.filter((x) => x.old && !x.fresh && !doomed.has(x.old.name)).map((x) => x.old!);
  for (const p of olds.filter((o) => !o.available)) out.delete.push(p.name);
  for (const p of olds.filter((o) => o.available)) {
    if (unavailable >= s.maxUnavailable) break;
    out.delete.push(p.name);
    unavailable++;
  }
  return out;
}
