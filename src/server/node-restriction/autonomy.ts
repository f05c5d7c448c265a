/**
 * Edge autonomy (issue 16): the Node annotation lantern.dev/autonomy decides whether the control
 * plane evicts a cut-off node's pods, so it is an admin's decision. A node may not set, change or
 * remove it on itself (a node that could would make its pods unevictable); left out of a node's
 * write, the stored value is kept.
 */
import type { FieldCause } from '../../api/errors.js';
import { AutonomyAnnotation } from '../../api/node-autonomy.js';

const rule = 'node autonomy is set by an admin (kubectl annotate node NAME lantern.dev/autonomy=true), not by the node itself';

/** Check a node's annotations against the stored ones (before; {} at registration) and keep a left-out stored value in place. */
export function checkAutonomyAnnotation(annotations: Record<string, string>, before: Record<string, string>, out: FieldCause[]): void {
  const mine = annotations[AutonomyAnnotation];
  const stored = before[AutonomyAnnotation];
  if (mine !== undefined && mine !== stored) out.push({ field: `metadata.annotations.${AutonomyAnnotation}`, message: rule });
  else if (mine === undefined && stored !== undefined) annotations[AutonomyAnnotation] = stored;
}
