/** Swarm placement constraints (`node.labels.region == east`, `node.hostname != n1`) as node affinity. */
import type { PodSpec } from '../../api/pod.js';

type Requirement = { key: string; operator: 'In' | 'NotIn'; values: string[] };

/** nodeSelector for `==`, required node affinity for `!=`; throws naming the constraint it cannot read. */
export function placement(constraints: string[], at: string): Pick<PodSpec, 'nodeSelector' | 'affinity'> {
  const nodeSelector: Record<string, string> = {};
  const exprs: Requirement[] = [];
  constraints.forEach((c, i) => {
    const m = /^\s*node\.(labels\.([^\s=!]+)|hostname|role)\s*(==|!=)\s*(\S+)\s*$/.exec(c);
    if (!m) throw new Error(`${at}[${i}]: "${c}" is not supported: expected node.labels.KEY == VALUE, node.hostname == NAME (or !=)`);
    if (m[1] === 'role') throw new Error(`${at}[${i}]: node.role has no meaning on Lantern (every node runs workloads)`);
    const key = m[2] ?? 'kubernetes.io/hostname';
    if (m[3] === '==') nodeSelector[key] = m[4]!;
    else exprs.push({ key, operator: 'NotIn', values: [m[4]!] });
  });
  const out: Pick<PodSpec, 'nodeSelector' | 'affinity'> = {};
  if (Object.keys(nodeSelector).length > 0) out.nodeSelector = nodeSelector;
  if (exprs.length > 0) out.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] } } };
  return out;
}
