/**
 * The extended resources a pod asks for (nvidia.com/gpu, lantern.dev/gpu-memory, huawei.com/Ascend910,
 * a device plugin's vendor.com/foo): what the accelerator score plugins look at.
 */
import type { Pod } from '../../api/pod.js';
import { podRequests } from '../framework/node-info.js';

/** Kubernetes' IsExtendedResourceName: a domain that is not kubernetes.io, and not quota syntax. */
export function isExtendedResource(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash <= 0 || name.startsWith('requests.')) return false;
  const domain = name.slice(0, slash);
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

const cache = new WeakMap<Pod, [string, number][]>();

/** The pod's non-zero extended resource requests, computed once per Pod object. */
export function extendedRequests(pod: Pod): [string, number][] {
  let list = cache.get(pod);
  if (!list) { list = Object.entries(podRequests(pod)).filter(([name, n]) => n > 0 && isExtendedResource(name)); cache.set(pod, list); }
  return list;
}
