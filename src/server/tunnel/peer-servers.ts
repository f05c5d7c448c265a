/**
 * The servers of one cluster as the shared store records them (issue 16 item 3): each server writes
 * its own record (name, advertise URL, the sha256 of a credential only it holds) under
 * /registry/lantern/servers/, and the holder of each node tunnel under /registry/lantern/tunnels/.
 * Another server that is asked for that node's logs or exec finds the holder here and relays through
 * it (relay.ts), proving itself with its credential (identifyPeer).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import type { StateStore, Watch } from '../../store/types.js';
import { StoreConflictError } from '../../store/types.js';
import type { Identity } from '../http/auth.js';

/** Where each server's record lives, by server name. */
export const serverRecordPrefix = '/registry/lantern/servers/';
/** Where each node's tunnel holder is recorded, by node name. */
export const tunnelRecordPrefix = '/registry/lantern/tunnels/';

/** A server as its peers see it. */
export interface ServerRecord { name: string; url: string; credentialSha256: string; since: string }
/** Which server holds a node's tunnel, and how to reach it. */
export interface TunnelRecord { node: string; server: string; url: string; since: string }

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const credentialPattern = /^lt-server:([a-z0-9][-a-z0-9]{0,62}):([0-9a-f]{64})$/;

/**
 * The identity of a peer server's credential `lt-server:NAME:SECRET`, or undefined when it is not one
 * of a recorded server. A server can read and write the whole store, so its identity is an admin's
 * (`system:server:NAME`); the relay route accepts no other identity.
 */
export async function identifyPeer(store: StateStore, token: string): Promise<Identity | undefined> {
  const m = credentialPattern.exec(token);
  if (!m) return undefined;
  const kv = await store.get(serverRecordPrefix + m[1]!);
  if (!kv) return undefined;
  let record: Partial<ServerRecord>;
  try { record = JSON.parse(kv.value) as Partial<ServerRecord>; } catch { return undefined; }
  if (typeof record.credentialSha256 !== 'string' || record.credentialSha256.length !== 64) return undefined;
  const ok = timingSafeEqual(Buffer.from(record.credentialSha256, 'hex'), Buffer.from(sha256(token), 'hex'));
  return ok ? { name: `system:server:${m[1]!}`, role: 'admin' } : undefined;
}

/** Whether an identity is a peer server's (made by identifyPeer). */
export const isPeerServer = (id: Identity): boolean => id.role === 'admin' && id.name.startsWith('system:server:');

/** This server's record and credential, and the tunnel holders of the cluster kept current by a watch. */
export class PeerServers {
  /** This server's name among its peers: host name and a random part, new per process. */
  readonly name = `${hostname().toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40)}-${randomBytes(4).toString('hex')}`;
  /** The credential this server relays with (never stored: its peers keep the sha256). */
  readonly credential = `lt-server:${this.name}:${randomBytes(32).toString('hex')}`;
  private readonly holders = new Map<string, TunnelRecord>();
  private watch: Watch | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: StateStore, readonly url: string, private readonly log: (m: string) => void = (m) => console.error(`server: ${m}`)) {}

  /** Record this server and start following the tunnel records. */
  async start(): Promise<void> {
    const record: ServerRecord = { name: this.name, url: this.url, credentialSha256: sha256(this.credential), since: new Date().toISOString() };
    await this.put(serverRecordPrefix + this.name, JSON.stringify(record));
    await this.follow();
  }

  /** Forget the watch and remove this server's record (its tunnels are dropped by their own closing). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.watch?.cancel();
    await this.store.delete(serverRecordPrefix + this.name).catch(() => undefined);
  }

  /** The server holding `node`'s tunnel when it is another server; undefined when none or this one. */
  holder(node: string): TunnelRecord | undefined {
    const h = this.holders.get(node);
    return h !== undefined && h.server !== this.name ? h : undefined;
  }

  /** Record that this server now holds `node`'s tunnel (taking it over from whoever held it). */
  async tunnelUp(node: string): Promise<void> {
    const record: TunnelRecord = { node, server: this.name, url: this.url, since: new Date().toISOString() };
    await this.put(tunnelRecordPrefix + node, JSON.stringify(record));
  }

  /** Remove `node`'s tunnel record if it is still this server's (another may have taken it meanwhile). */
  async tunnelDown(node: string): Promise<void> {
    const kv = await this.store.get(tunnelRecordPrefix + node);
    if (!kv || parseRecord(kv.value)?.server !== this.name) return;
    await this.store.delete(kv.key, kv.modRevision).catch((e: unknown) => { if (!(e instanceof StoreConflictError)) throw e; });
  }

  /** Create or replace a key, whatever its revision. */
  private async put(key: string, value: string): Promise<void> {
    for (;;) {
      const kv = await this.store.get(key);
      try {
        if (kv) await this.store.update(key, value, kv.modRevision); else await this.store.create(key, value);
        return;
      } catch (e) {
        if (!(e instanceof StoreConflictError)) throw e;
      }
    }
  }

  /** List the tunnel records, then watch them; a watch that ends starts over after a second. */
  private async follow(): Promise<void> {
    if (this.stopped) return;
    const list = await this.store.list(tunnelRecordPrefix);
    this.holders.clear();
    for (const kv of list.items) { const r = parseRecord(kv.value); if (r) this.holders.set(r.node, r); }
    this.watch = this.store.watch(tunnelRecordPrefix, list.revision, (e) => {
      const node = e.kv.key.slice(tunnelRecordPrefix.length);
      if (e.type === 'delete') { this.holders.delete(node); return; }
      const r = parseRecord(e.kv.value);
      if (r) this.holders.set(node, r);
    }, (err) => {
      if (this.stopped) return;
      this.log(`the watch of tunnel records ended (${err.message}); listing them again`);
      this.refollow();
    });
  }

  /** Follow again in a second, and again after each failure (the store may be changing leaders). */
  private refollow(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.follow().catch((e: unknown) => { this.log(`listing tunnel records failed: ${String(e)}`); this.refollow(); });
    }, 1000);
  }
}

function parseRecord(value: string): TunnelRecord | undefined {
  try {
    const r = JSON.parse(value) as Partial<TunnelRecord>;
    return typeof r.node === 'string' && typeof r.server === 'string' && typeof r.url === 'string' ? r as TunnelRecord : undefined;
  } catch { return undefined; }
}
