/** spec.podFailurePolicy: which rule (if any) a failed pod matches, and so what it means for the Job. */
import type { Pod } from '../../api/pod.js';
import type { PodFailurePolicyRule } from '../../api/schema/job.js';

/** What to do with a failed pod: Count is also the answer when no rule matches. */
export type FailureAction = PodFailurePolicyRule['action'];

function exitCodesMatch(rule: NonNullable<PodFailurePolicyRule['onExitCodes']>, pod: Pod): boolean {
  for (const cs of pod.status?.containerStatuses ?? []) {
    const code = cs.state.terminated?.exitCode;
    // Kubernetes ignores containers that exited 0: they did not cause the failure.
    if (code === undefined || code === 0) continue;
    if (rule.containerName !== undefined && rule.containerName !== cs.name) continue;
    if (rule.operator === 'In' ? rule.values.includes(code) : !rule.values.includes(code)) return true;
  }
  return false;
}

function conditionsMatch(reqs: NonNullable<PodFailurePolicyRule['onPodConditions']>, pod: Pod): boolean {
  const conds = pod.status?.conditions ?? [];
  return reqs.some((r) => conds.some((c) => c.type === r.type && c.status === (r.status ?? 'True')));
}

/** The first rule that matches the failed pod, in order; undefined when none does. */
export function matchRule(rules: readonly PodFailurePolicyRule[] | undefined, pod: Pod): { rule: PodFailurePolicyRule; index: number } | undefined {
  for (const [index, rule] of (rules ?? []).entries()) {
    if (rule.onExitCodes && exitCodesMatch(rule.onExitCodes, pod)) return { rule, index };
    if (rule.onPodConditions && conditionsMatch(rule.onPodConditions, pod)) return { rule, index };
  }
  return undefined;
}

/** The message Kubernetes puts on the Failed condition when a FailJob rule fires. */
export function failJobMessage(pod: Pod, index: number): string {
  const cs = (pod.status?.containerStatuses ?? []).find((c) => (c.state.terminated?.exitCode ?? 0) !== 0);
  const what = cs ? `Container ${cs.name} for pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name} failed with exit code ${cs.state.terminated?.exitCode ?? 0}` : `Pod ${pod.metadata.namespace ?? 'default'}/${pod.metadata.name} has a matching condition`;
  return `${what} matching FailJob rule at index ${index}`;
}
