// Kept free of imports: the agent and the event recorder use it to stay within what the API accepts.
/**
 * How long the strings and lists that nodes and controllers write into status may be. The API
 * refuses longer ones (kinds/pod-status-rules.ts, schema/pod.ts); writers truncate to them first.
 */
export const StatusLimits = {
  /** A reason (container state, condition, pod, event): one CamelCase word, as Kubernetes' reasons. */
  reason: 128,
  /** A container state's message and a node-written Event's message (Kubernetes' termination-message limit). */
  message: 4096,
  /** A condition's or the pod's own message (Kubernetes' metav1.Condition limit). */
  longMessage: 32768,
  /** Image names, image and container IDs, and other short free text. */
  text: 1024,
  /** Conditions of one object. */
  conditions: 64,
  /** Container statuses of one pod. */
  containers: 256,
} as const;

/** A reason as Kubernetes writes them: a CamelCase word ("CrashLoopBackOff"). */
export const reasonPattern = /^[A-Z][A-Za-z0-9]*$/;

/** Text cut to at most max characters, marked as cut, so a writer never exceeds a limit. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const mark = '... (truncated)';
  return text.slice(0, Math.max(0, max - mark.length)) + mark;
}
