/**
 * Docker's --device and --device-cgroup-rule on the Pod lcctl run creates: a host path
 * (HOST[:CONTAINER[:PERMS]]) goes to the lantern.dev/host-devices annotation, a CDI name (vendor.com/class=name)
 * to Kubernetes' CDI annotation cdi.k8s.io/lcctl-run, rules to lantern.dev/device-cgroup-rules.
 */
import type { Pod } from '../../api/pod.js';
import {
  CDI_ANNOTATION_PREFIX, DEVICE_CGROUP_RULES_ANNOTATION, HOST_DEVICES_ANNOTATION, parseCdiNames, parseCgroupRules, parseHostDevice,
} from '../../api/device-annotations.js';
import { UsageError } from '../errors.js';

/** The CDI annotation key lcctl run writes. */
export const RUN_CDI_ANNOTATION = `${CDI_ANNOTATION_PREFIX}lcctl-run`;

/** Map --device and --device-cgroup-rule values onto the pod's annotations; throws UsageError on a bad one. */
export function applyDevices(pod: Pod, devices: readonly string[], rules: readonly string[]): void {
  const host: string[] = [];
  const cdi: string[] = [];
  for (const d of devices) {
    if (!d.startsWith('/') && d.includes('=')) {
      try { parseCdiNames(d); } catch (e) { throw new UsageError(`invalid argument "${d}" for "--device" flag: ${(e as Error).message}`); }
      cdi.push(d);
      continue;
    }
    let parsed;
    try { parsed = parseHostDevice(d); } catch (e) { throw new UsageError(`invalid argument "${d}" for "--device" flag: ${(e as Error).message}`); }
    if (parsed.hostPath.includes(',') || parsed.path.includes(',')) throw new UsageError(`invalid argument "${d}" for "--device" flag: a device path may not contain ','`);
    host.push(`${parsed.hostPath}:${parsed.path}:${parsed.permissions}`);
  }
  try { parseCgroupRules(rules.join(',')); } catch (e) { throw new UsageError(`invalid argument for "--device-cgroup-rule" flag: ${(e as Error).message}`); }
  const a = pod.metadata.annotations ??= {};
  if (host.length > 0) a[HOST_DEVICES_ANNOTATION] = host.join(',');
  if (cdi.length > 0) a[RUN_CDI_ANNOTATION] = cdi.join(',');
  if (rules.length > 0) a[DEVICE_CGROUP_RULES_ANNOTATION] = rules.join(',');
}
