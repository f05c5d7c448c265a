/**
 * For the chain's tests: a real API server (createApiServer over the kit's startTestHttpServer) on a
 * loopback port, an admin and a node token, a registry hook the test controls, and raw sockets.
 */
import http from 'node:http';
import net from 'node:net';
import { Registry } from '../../../metrics/registry.js';
import { eventually } from '../../../testing/eventually.js';
import { startTestHttpServer } from '../../../testing/http-server.js';
import { NodeRegistry } from '../../node-registry.js';
import { TokenAuthenticator } from '../auth.js';
import type { ApiServerOptions } from '../server.js';

export const ADMIN = 'test-admin-token';
export const NODE = 'test-node-token';
export const NODE_NAME = 'edge-1';
export const JOIN = 'test-join-token';

/** A server for one test file; close() removes everything. */
export interface ChainServer {
  server: http.Server;
  port: number;
  base: string;
  nodes: NodeRegistry;
  metrics: Registry;
  dir: string;
  close(): Promise<void>;
}

/** Start createApiServer with OPTS on 127.0.0.1 (IPv4 loopback, so 127.0.0.2... reach it too). */
export async function startChainServer(opts: Partial<ApiServerOptions> = {}): Promise<ChainServer> {
  const auth = new TokenAuthenticator();
  auth.add(ADMIN, { name: 'admin', role: 'admin' });
  auth.add(NODE, { name: `system:node:${NODE_NAME}`, role: 'node' });
  auth.add(JOIN, { name: 'node-join-token', role: 'join' });
  const nodes = new NodeRegistry();
  const metrics = new Registry();
  const s = await startTestHttpServer((t) => ({ api: t.api, nodes, auth, version: 'test', metrics, ...opts }), { prefix: 'lantern-chain-' });
  return { server: s.server, port: s.port, base: s.url, nodes, metrics, dir: s.t.dir, close: s.close };
}

/** A raw TCP connection that records what the server sent and whether it closed. */
export interface RawConn { socket: net.Socket; data: () => string; closed: Promise<void>; isClosed: () => boolean }

/** Connect from LOCAL (a loopback address) to PORT. */
export async function rawConnect(port: number, local = '127.0.0.1'): Promise<RawConn> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: local });
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let text = '';
  let isClosed = false;
  socket.on('data', (d: Buffer) => { text += d.toString('latin1'); });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => { isClosed = true; resolve(); }));
  return { socket, data: () => text, closed, isClosed: () => isClosed };
}

/** Wait until FN is true (the kit's eventually, polled every 20 ms), failing after timeoutMs with WHAT. */
export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await eventually(what, fn, { timeoutMs, intervalMs: 20 });
}

/** Let MS pass (used only to outlive a configured timeout, never to time anything). */
export const outlive = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A GET with the given token over a fresh connection; resolves with status, headers and body. */
export function get(port: number, path: string, token = ADMIN, local = '127.0.0.1'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, localAddress: local, agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}
