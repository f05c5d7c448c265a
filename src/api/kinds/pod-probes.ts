/** Defaults and semantic rules for container probes (liveness, readiness, startup), as Kubernetes has them. */
import type { Container, Probe } from '../schema/pod.js';
import type { FieldCause } from '../errors.js';

/** The three probe fields of a container, in the order kubectl describes them. */
export const probeKinds = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
export type ProbeKind = typeof probeKinds[number];

/** Fill Kubernetes' defaults into one probe: delay 0, period 10, timeout 1, success 1, failure 3. */
export function defaultProbe(p: Probe): void {
  p.initialDelaySeconds ??= 0;
  p.periodSeconds ??= 10;
  p.timeoutSeconds ??= 1;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) { p.httpGet.path ??= '/'; p.httpGet.scheme ??= 'HTTP'; }
}

/** Apply defaults to every probe of a container. */
export function defaultProbes(c: Container): void {
  for (const kind of probeKinds) { const p = c[kind]; if (p) defaultProbe(p); }
}

const portName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Exactly one handler; successThreshold 1 for liveness and startup; named ports well formed. */
export function checkProbes(c: Container, path: string, out: FieldCause[]): void {
  for (const kind of probeKinds) {
    const p = c[kind];
    if (!p) continue;
    const at = `${path}.${kind}`;
    const handlers = [p.exec, p.httpGet, p.tcpSocket].filter((h) => h !== undefined).length;
    if (handlers !== 1) out.push({ field: at, message: `must specify exactly one handler of exec, httpGet, tcpSocket (got ${handlers})` });
    if (kind !== 'readinessProbe' && p.successThreshold !== undefined && p.successThreshold !== 1) {
      out.push({ field: `${at}.successThreshold`, message: `must be 1 for ${kind === 'livenessProbe' ? 'liveness' : 'startup'} probes, got ${p.successThreshold}` });
    }
    for (const [h, port] of [['httpGet', p.httpGet?.port], ['tcpSocket', p.tcpSocket?.port]] as const) {
      if (typeof port !== 'string') continue;
      if (port.length > 15 || !portName.test(port) || !/[a-z]/.test(port)) {
        out.push({ field: `${at}.${h}.port`, message: `must be a port number or a port name (at most 15 lower-case letters, digits and '-', with a letter), got ${JSON.stringify(port)}` });
      }
    }
  }
}
