/** The API's check of the device annotations `lcctl run` writes (api/device-annotations.ts), with a field path. */
import type { FieldCause } from '../errors.js';
import type { Pod } from '../pod.js';
import {
  CDI_ANNOTATION_PREFIX, DEVICE_CGROUP_RULES_ANNOTATION, GPU_CAPABILITIES_ANNOTATION, GPU_DEVICES_ANNOTATION, HOST_DEVICES_ANNOTATION,
  parseCdiNames, parseCgroupRules, parseGpuDevices, parseHostDevices,
} from '../device-annotations.js';

const CAPS = new Set(['all', 'compute', 'compat32', 'graphics', 'utility', 'video', 'display', 'gpu', 'nvidia']);

/** Refuse malformed device annotations, naming the annotation and what is expected. */
export function checkDeviceAnnotations(pod: Pod, out: FieldCause[]): void {
  const a = pod.metadata.annotations ?? {};
  const check = (key: string, fn: (v: string) => unknown): void => {
    const v = a[key];
    if (v === undefined) return;
    try { fn(v); } catch (e) { out.push({ field: `metadata.annotations[${key}]`, message: (e as Error).message }); }
  };
  check(GPU_DEVICES_ANNOTATION, parseGpuDevices);
  check(HOST_DEVICES_ANNOTATION, parseHostDevices);
  check(DEVICE_CGROUP_RULES_ANNOTATION, parseCgroupRules);
  check(GPU_CAPABILITIES_ANNOTATION, (v) => {
    for (const c of v.split(',')) if (!CAPS.has(c.trim())) throw new Error(`unknown GPU capability ${JSON.stringify(c)}: expected some of ${[...CAPS].join(', ')}`);
  });
  for (const k of Object.keys(a)) if (k.startsWith(CDI_ANNOTATION_PREFIX)) check(k, parseCdiNames);
}
