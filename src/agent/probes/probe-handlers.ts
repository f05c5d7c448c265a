/** The three probe handlers on real components: exec through the runtime, HTTP GET and TCP connect to the pod IP. */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, Probe } from '../../api/schema/pod.js';
import type { ContainerRuntime } from '../../runtime/types.js';
import type { ProbeHandler, ProbeResult } from './probes.js';

/** Where the probes of one container instance go. */
export interface ProbeTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: Container;
  /** The pod IP (127.0.0.1 for a host-network pod); undefined while the pod has none. */
  podIP: () => string | undefined;
}

const maxOutput = 10 * 1024;

/** A port number, or a named container port resolved through the container's ports. */
export function resolvePort(c: Container, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^[0-9]+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/** Run the command in the container: exit 0 passes; the output is the failure message, as the kubelet reports it. */
async function execProbe(t: ProbeTarget, command: string[], signal: AbortSignal): Promise<ProbeResult> {
  const session = await t.runtime.exec(t.containerId, { cmd: command });
  let out = '';
  const take = (d: Buffer): void => { if (out.length < maxOutput) out += d.toString('utf8'); };
  session.stdout.on('data', take);
  session.stderr?.on('data', take);
  const onAbort = (): void => session.kill('SIGKILL');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const code = await session.exit;
    if (signal.aborted) return { ok: false, message: `command ${JSON.stringify(command.join(' '))} timed out` };
    if (code === 0) return { ok: true };
    const text = out.trim().slice(0, maxOutput);
    return { ok: false, message: text || `command ${JSON.stringify(command.join(' '))} exited with ${code}` };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** GET the URL: a status from 200 to 399 passes (redirects are not followed, so 3xx passes too). */
function httpProbe(t: ProbeTarget, g: NonNullable<Probe['httpGet']>, signal: AbortSignal): Promise<ProbeResult> {
  const host = g.host || t.podIP();
  const port = resolvePort(t.container, g.port);
  if (!host) return Promise.resolve({ ok: false, message: 'the pod has no IP address yet' });
  if (port === undefined) return Promise.resolve({ ok: false, message: `could not find a container port named ${JSON.stringify(g.port)}` });
  const scheme = (g.scheme ?? 'HTTP').toLowerCase();
  const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.30', accept: '*/*' };
  for (const h of g.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
  const mod = scheme === 'https' ? https : http;
  return new Promise((resolve) => {
    const req = mod.get(url, { headers, signal, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (signal.aborted) resolve({ ok: false, message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
      else resolve({ ok: false, message: `Get "${url}": dial tcp ${host}:${port}: connect: ${errnoText(e)}` });
    });
  });
}

/** Open a TCP connection: connecting passes. */
function tcpProbe(t: ProbeTarget, s: NonNullable<Probe['tcpSocket']>, signal: AbortSignal): Promise<ProbeResult> {
  const host = s.host || t.podIP();
  const port = resolvePort(t.container, s.port);
  if (!host) return Promise.resolve({ ok: false, message: 'the pod has no IP address yet' });
  if (port === undefined) return Promise.resolve({ ok: false, message: `could not find a container port named ${JSON.stringify(s.port)}` });
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const onAbort = (): void => { sock.destroy(); resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` }); };
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => { signal.removeEventListener('abort', onAbort); sock.destroy(); resolve({ ok: true }); });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      resolve({ ok: false, message: `dial tcp ${host}:${port}: connect: ${errnoText(e)}` });
    });
  });
}

/** Go's wording of common socket errors ("connection refused"). */
function errnoText(e: NodeJS.ErrnoException): string {
  const known: Record<string, string> = { ECONNREFUSED: 'connection refused', EHOSTUNREACH: 'no route to host', ENETUNREACH: 'network is unreachable', ECONNRESET: 'connection reset by peer', ETIMEDOUT: 'connection timed out' };
  return (e.code && known[e.code]) ?? e.message;
}

/** The handler of one container instance's probes. */
export function probeHandler(t: ProbeTarget): ProbeHandler {
  return async (_kind, probe, signal) => {
    if (probe.exec) return execProbe(t, probe.exec.command, signal);
    if (probe.httpGet) return httpProbe(t, probe.httpGet, signal);
    if (probe.tcpSocket) return tcpProbe(t, probe.tcpSocket, signal);
    return { ok: false, message: 'the probe has no handler (exec, httpGet or tcpSocket)' };
  };
}
