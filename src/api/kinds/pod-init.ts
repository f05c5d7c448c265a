/** Rules for init containers, native sidecars and lifecycle hooks, as Kubernetes validates them. */
import type { Container, LifecycleHandler, PodSpec } from '../schema/pod.js';
import type { FieldCause } from '../errors.js';

/** Exactly one handler of exec, httpGet, tcpSocket, sleep in each of postStart and preStop. */
export function checkLifecycle(c: Container, path: string, out: FieldCause[]): void {
  for (const point of ['postStart', 'preStop'] as const) {
    const h: LifecycleHandler | undefined = c.lifecycle?.[point];
    if (!h) continue;
    const n = [h.exec, h.httpGet, h.tcpSocket, h.sleep].filter((x) => x !== undefined).length;
    if (n !== 1) out.push({ field: `${path}.lifecycle.${point}`, message: `must specify exactly one handler of exec, httpGet, tcpSocket, sleep (got ${n})` });
  }
}

/**
 * An init container: restartPolicy only Always (a sidecar); probes and lifecycle only on sidecars,
 * since a plain init container runs to completion before anything else starts. App containers may
 * not set restartPolicy (the pod's applies).
 */
export function checkInitContainerRules(spec: PodSpec, out: FieldCause[]): void {
  spec.containers.forEach((c, i) => {
    if (c.restartPolicy !== undefined) out.push({ field: `spec.containers[${i}].restartPolicy`, message: 'may only be set on init containers (Always makes a sidecar)' });
  });
  (spec.initContainers ?? []).forEach((c, i) => {
    const p = `spec.initContainers[${i}]`;
    if (c.restartPolicy === 'Always') return;
    for (const f of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const) {
      if (c[f] !== undefined) out.push({ field: `${p}.${f}`, message: `may not be set for init containers without restartPolicy=Always` });
    }
  });
}

/** Whether the init container is a native sidecar (restartPolicy: Always). */
export const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';
