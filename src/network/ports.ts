import { createSocket } from 'node:dgram';
import { createServer, isIPv4 } from 'node:net';
import { ApiError, type FieldCause } from '../api/errors.js';
import type { PortMapping } from './types.js';

/** "18080/tcp", or "127.0.0.1:18080/tcp" when bound to one host address. */
export function portLabel(p: PortMapping): string {
  return `${p.hostIP ? `${p.hostIP}:` : ''}${p.hostPort}/${p.protocol}`;
}

/** Whether two mappings would claim the same host socket (same protocol and port, addresses overlap). */
export function portsClash(a: PortMapping, b: { hostPort: number; protocol: string; hostIP?: string }): boolean {
  return a.hostPort === b.hostPort && a.protocol === b.protocol && (!a.hostIP || !b.hostIP || a.hostIP === b.hostIP);
}

/** The error for a taken host port; names the port and who holds it. */
export function portInUse(p: PortMapping, holder: string): ApiError {
  return new ApiError('Conflict', `port ${portLabel(p)} is already in use (${holder}); publish a different host port or free that one`,
    { causes: [{ field: 'hostPort', message: `${portLabel(p)} in use by ${holder}` }] });
}

const isPort = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/**
 * Checks and normalises port mappings: ports 1-65535, protocol tcp/udp (any case), hostIP an IPv4
 * address ("0.0.0.0" and "" mean all addresses and are dropped), no host port asked for twice.
 */
export function validatePorts(ports: readonly PortMapping[]): PortMapping[] {
  const causes: FieldCause[] = [];
  const out: PortMapping[] = [];
  ports.forEach((raw, i) => {
    const f = `ports[${i}]`;
    const r = raw as unknown as Record<string, unknown>;
    if (!isPort(r.hostPort)) causes.push({ field: `${f}.hostPort`, message: `${String(r.hostPort)} is not a port number (1-65535)` });
    if (!isPort(r.containerPort)) causes.push({ field: `${f}.containerPort`, message: `${String(r.containerPort)} is not a port number (1-65535)` });
    const protocol = typeof r.protocol === 'string' ? r.protocol.toLowerCase() : r.protocol === undefined ? 'tcp' : '';
    if (protocol !== 'tcp' && protocol !== 'udp') causes.push({ field: `${f}.protocol`, message: `${String(r.protocol)} is not tcp or udp` });
    const hostIP = r.hostIP === undefined || r.hostIP === '' || r.hostIP === '0.0.0.0' ? undefined : r.hostIP;
    if (hostIP !== undefined && (typeof hostIP !== 'string' || !isIPv4(hostIP))) {
      causes.push({ field: `${f}.hostIP`, message: `${JSON.stringify(hostIP)} is not an IPv4 address (the pod network is IPv4 only)` });
    }
    if (!isPort(r.hostPort) || !isPort(r.containerPort) || (protocol !== 'tcp' && protocol !== 'udp')) return;
    const p: PortMapping = { hostPort: r.hostPort, containerPort: r.containerPort, protocol, ...(typeof hostIP === 'string' ? { hostIP } : {}) };
    if (out.some((q) => portsClash(q, p))) causes.push({ field: `${f}.hostPort`, message: `${portLabel(p)} is published twice` });
    else out.push(p);
  });
  if (causes.length > 0) {
    throw new ApiError('Invalid', `invalid port mappings: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`, { causes });
  }
  return out;
}

/** Why a host port cannot be published: taken (inUse) or never bindable here (bad hostIP). */
export interface ProbeFailure {
  inUse: boolean;
  reason: string;
}

/**
 * Tries to bind the host port for a moment, which fails when a host process listens on it (any
 * address overlapping ours). Resolves to undefined when it is free.
 */
export function probeHostPort(p: PortMapping): Promise<ProbeFailure | undefined> {
  const host = p.hostIP ?? '0.0.0.0';
  const failure = (e: NodeJS.ErrnoException): ProbeFailure => {
    if (e.code === 'EADDRINUSE') return { inUse: true, reason: 'a process on this host is listening on it' };
    if (e.code === 'EADDRNOTAVAIL') return { inUse: false, reason: `hostIP ${host} is not an address of this host` };
    return { inUse: false, reason: `binding ${host}:${p.hostPort}/${p.protocol} failed: ${e.message}` };
  };
  return new Promise((resolve) => {
    if (p.protocol === 'udp') {
      const sock = createSocket({ type: 'udp4' });
      sock.once('error', (e: NodeJS.ErrnoException) => {
        try { sock.close(); } catch { /* never bound */ }
        resolve(failure(e));
      });
      sock.bind({ address: host, port: p.hostPort, exclusive: true }, () => sock.close(() => resolve(undefined)));
      return;
    }
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(failure(e)));
    srv.listen({ host, port: p.hostPort, exclusive: true }, () => srv.close(() => resolve(undefined)));
  });
}
