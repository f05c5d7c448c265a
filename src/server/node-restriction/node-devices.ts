/** The device annotation a node writes about itself (lantern.dev/devices): well-formed and bounded. */
import type { FieldCause } from '../../api/errors.js';
import { nodeDevicesAnnotation, nodeDevicesRule } from '../../api/node-devices.js';

/** Add a cause when the node changed the annotation to something malformed or too large. */
export function checkDeviceAnnotation(annotations: Record<string, string>, before: Record<string, string>, out: FieldCause[]): void {
  const v = annotations[nodeDevicesAnnotation];
  if (v === undefined || v === before[nodeDevicesAnnotation]) return;
  const rule = nodeDevicesRule(v);
  if (rule) out.push({ field: `metadata.annotations.${nodeDevicesAnnotation}`, message: rule });
}
