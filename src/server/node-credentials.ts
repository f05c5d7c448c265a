import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../api/errors.js';
import type { StateStore } from '../store/types.js';
import { StoreConflictError } from '../store/types.js';
import type { Identity } from './http/auth.js';
import { NodeConnections, type Closable } from './node-connections.js';

/** Where per-node credentials live in the store (outside the API's resource keys). */
export const nodeCredentialPrefix = '/registry/lantern/node-credentials/';

/**
 * One node's record. `secretSha256` is the hash of the node secret its agent keeps (k3s' node
 * password); a record written before node secrets existed has none. `joinedAt` is absent there too.
 */
interface StoredCredential { node: string; sha256: string; issuedAt: string; secretSha256?: string; joinedAt?: string; via?: string }

/** What `lcctl node credentials` shows of a record (no hashes). */
export interface NodeCredentialInfo {
  node: string;
  /** When the node first joined (its record was made). */
  firstJoin: string;
  /** When its current credential was issued (its latest join). */
  lastJoin: string;
  /** Whether re-joining needs the node secret (false: a record from before node secrets). */
  nodeSecret: boolean;
  /** The token the latest join came with (node-join-token, system:bootstrap:ID, or the node itself). */
  via?: string;
}

/** A join as the server decides on it. */
export interface JoinRequest {
  nodeName: string;
  /** The node secret the agent keeps in DATA_DIR/node-secret. */
  nodeSecret?: string;
  /** The node's current credential, as the other proof that the caller is that node. */
  credential?: string;
  /** Who asked (a join token), recorded as how the node last joined. */
  caller: Identity;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const sameHash = (hex: string, value: string): boolean => {
  const want = Buffer.from(hex, 'hex');
  const got = Buffer.from(sha256(value), 'hex');
  return want.length === got.length && timingSafeEqual(want, got);
};
const TOKEN = /^lt-node:([a-z0-9]([-a-z0-9.]*[a-z0-9])?):([0-9a-f]{48})$/;

/** Whether a join of a name that has joined before proves it is that node: its secret, or its current credential. */
function proves(stored: StoredCredential, r: JoinRequest): boolean {
  const bySecret = stored.secretSha256 !== undefined && r.nodeSecret !== undefined && sameHash(stored.secretSha256, r.nodeSecret);
  const byCredential = r.credential !== undefined && sameHash(stored.sha256, r.credential);
  return bySecret || byCredential;
}

/** The message for a refused re-join: what happened and what the admin does about it. */
function refusal(name: string, stored: StoredCredential): string {
  const fix = `if the machine was reinstalled or lost DATA_DIR, an admin must first run "lcctl node revoke ${name}" (or "lcctl delete node ${name}"); if it is another machine, give it another --node-name`;
  return stored.secretSha256 === undefined
    ? `node "${name}" joined before node secrets existed and only its current credential (DATA_DIR/node-credential on that node) can join it again; ${fix}`
    : `node "${name}" has already joined, and this join did not prove its node secret (DATA_DIR/node-secret on that node); ${fix}`;
}

/**
 * Per-node bearer credentials (`lt-node:NAME:SECRET`), kept hashed in the store so they survive
 * restarts and every server sharing the store accepts them, with the hash of each node's secret (as
 * k3s' node password): a name that has joined once joins again only with that secret or the node's
 * current credential, until an admin revokes it. Names reserved for the server's own node never join.
 */
export class NodeCredentials {
  private readonly reserved = new Set<string>();
  /** The connections each node's credential was used on, cut when it is revoked. */
  readonly connections = new NodeConnections();
  private readonly revokedListeners: ((name: string) => void)[] = [];

  constructor(private readonly store: StateStore, private readonly now: () => Date = () => new Date()) {}

  /** Reserve `name` for the server's in-process node: no join, no credential; one stored earlier is revoked. */
  async reserve(name: string): Promise<void> {
    this.reserved.add(name);
    await this.revoke(name);
  }

  /** Call `cb` (synchronously, before revoke() resolves) for each revoked node: the daemon drops its tunnel there. */
  onRevoked(cb: (name: string) => void): void { this.revokedListeners.push(cb); }

  /** Whether `name` is the server's own node. */
  isReserved(name: string): boolean { return this.reserved.has(name); }

  /** Join node `nodeName`: issue its credential (shown only this once), or throw Forbidden. */
  async join(r: JoinRequest): Promise<string> {
    const name = r.nodeName;
    if (this.reserved.has(name)) {
      throw new ApiError('Forbidden', `node "${name}" is this server's own node (lanternd server --node-name) and cannot be joined from outside: give the agent another --node-name`);
    }
    const key = nodeCredentialPrefix + name;
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      const stored = kv ? JSON.parse(kv.value) as StoredCredential : undefined;
      if (stored && !proves(stored, r)) throw new ApiError('Forbidden', refusal(name, stored));
      const token = `lt-node:${name}:${randomBytes(24).toString('hex')}`;
      const at = this.now().toISOString();
      const secretSha256 = r.nodeSecret !== undefined ? sha256(r.nodeSecret) : stored?.secretSha256;
      const record: StoredCredential = {
        node: name, sha256: sha256(token), issuedAt: at, joinedAt: stored ? stored.joinedAt ?? stored.issuedAt : at, via: r.caller.name,
        ...(secretSha256 !== undefined ? { secretSha256 } : {}),
      };
      try {
        if (kv) await this.store.update(key, JSON.stringify(record), kv.modRevision);
        else await this.store.create(key, JSON.stringify(record));
        return token;
      } catch (e) {
        if (!(e instanceof StoreConflictError) || attempt >= 5) throw e;
      }
    }
  }

  /**
   * The node identity for a token, or undefined when it is not a current node credential. With the
   * request's connection, that connection is remembered so a revocation can cut it.
   */
  async identify(token: string, connection?: Closable): Promise<Identity | undefined> {
    const m = TOKEN.exec(token);
    if (!m || this.reserved.has(m[1]!)) return undefined;
    const kv = await this.store.get(nodeCredentialPrefix + m[1]!);
    if (!kv) return undefined;
    const stored = JSON.parse(kv.value) as StoredCredential;
    if (stored.node !== m[1] || !sameHash(stored.sha256, token)) return undefined;
    if (connection) this.connections.track(stored.node, connection);
    return { name: `system:node:${stored.node}`, role: 'node' };
  }

  /**
   * Revoke node `name`'s credential and forget its node secret (any caller with the join token may
   * then join the name afresh), and cut every connection it used, its tunnel included.
   * Resolves with whether a credential was stored.
   */
  async revoke(name: string): Promise<boolean> {
    const key = nodeCredentialPrefix + name;
    let existed = false;
    for (let attempt = 0; ; attempt++) {
      const kv = await this.store.get(key);
      if (!kv) break;
      try {
        await this.store.delete(key, kv.modRevision);
        existed = true;
        break;
      } catch (e) {
        if (!(e instanceof StoreConflictError) || attempt >= 5) throw e;
      }
    }
    this.connections.closeAll(name);
    for (const cb of this.revokedListeners) cb(name);
    return existed;
  }

  /** Every stored credential, by node name. */
  async list(): Promise<NodeCredentialInfo[]> {
    const { items } = await this.store.list(nodeCredentialPrefix);
    return items.map((kv) => {
      const s = JSON.parse(kv.value) as StoredCredential;
      return { node: s.node, firstJoin: s.joinedAt ?? s.issuedAt, lastJoin: s.issuedAt, nodeSecret: s.secretSha256 !== undefined, ...(s.via !== undefined ? { via: s.via } : {}) };
    }).sort((a, b) => a.node.localeCompare(b.node));
  }
}
