/** kubectl's one-line description of a container probe, for `lcctl describe pod`. */
import type { Probe } from '../schema/pod.js';

/** "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3", as kubectl prints it. */
export function describeProbe(p: Probe): string {
  let handler = 'unknown';
  if (p.exec) handler = `exec [${p.exec.command.join(' ')}]`;
  else if (p.httpGet) {
    const g = p.httpGet;
    const path = g.path ?? '';
    handler = `http-get ${(g.scheme ?? 'HTTP').toLowerCase()}://${g.host ?? ''}:${g.port}${path && !path.startsWith('/') ? '/' : ''}${path}`;
  } else if (p.tcpSocket) handler = `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port}`;
  return `${handler} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}
