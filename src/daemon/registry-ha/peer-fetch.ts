/**
 * HA registry: reading a manifest or blob from the other servers of the cluster (their URLs from the
 * server records H3's PeerServers keeps in the store), with the shared admin token and the cluster CA.
 * Every request carries `peerHeader`, so the server asked answers from its own disk only: two servers
 * that both miss never ask each other in a loop.
 */
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { StateStore } from '../../store/types.js';
import { serverRecordPrefix } from '../../server/tunnel/peer-servers.js';
import { MediaTypes } from '../../registry/index.js';

/** Marks a request from a peer server: answer from local storage, never ask further peers. */
export const peerHeader = 'x-lantern-registry-peer';

/** How this server reaches its peers' registries. */
export interface PeerAccess {
  store: StateStore;
  /** The current admin token (read at each request: a rotation reaches every server through the store). */
  token: () => string;
  /** The cluster CA (PEM) when the servers speak HTTPS. */
  ca: string | undefined;
  /** Milliseconds to wait for a peer's answer (default 10 000). */
  timeoutMs?: number;
}

const accept = [...Object.values(MediaTypes), 'application/json'].join(', ');

/** The recorded servers' URLs (this one included: it answers a peer request with a miss). */
export async function peerUrls(store: StateStore): Promise<string[]> {
  const out: string[] = [];
  for (const kv of (await store.list(serverRecordPrefix)).items) {
    try {
      const url = (JSON.parse(kv.value) as { url?: unknown }).url;
      if (typeof url === 'string' && /^https?:\/\/[^/\s]+$/.test(url)) out.push(url);
    } catch { /* a record being written: skip it */ }
  }
  return out;
}

/** GET `path` from `base` as a peer; the response (any status) or undefined when the server cannot be reached. */
export function peerGet(access: PeerAccess, base: string, path: string): Promise<IncomingMessage | undefined> {
  const url = new URL(path, base);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const req = mod.request(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${access.token()}`, accept, [peerHeader]: '1' },
      ...(url.protocol === 'https:' && access.ca !== undefined ? { ca: access.ca } : {}),
      timeout: access.timeoutMs ?? 10_000,
    }, resolve);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** Reads a (small) response body whole, at most `limit` bytes; undefined when larger. */
export async function readBody(res: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    const b = c as Buffer;
    n += b.length;
    if (n > limit) { res.destroy(); return undefined; }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}
