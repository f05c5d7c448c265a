/**
 * User bearer tokens made by `lcctl create user NAME --token`: `lt-user-ID.SECRET`, stored hashed at
 * /registry/lantern/user-tokens/ID with the user, groups and expiry, so every server on the store
 * accepts them and a stolen store copy holds no usable token.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../../api/errors.js';
import { StoreConflictError, type StateStore } from '../../store/types.js';
import type { Identity } from '../http/auth.js';
import { authenticatedGroup } from './names.js';

/** Where user tokens live in the store. */
export const userTokenPrefix = '/registry/lantern/user-tokens/';

/** A stored token as `lcctl get users` shows it (never the secret or its hash). */
export interface UserTokenInfo { id: string; user: string; groups: string[]; createdAt: string; expires?: string }

interface StoredUserToken { id: string; user: string; groups: string[]; secretSha256: string; createdAt: string; expires?: string }

const TOKEN = /^lt-user-([a-f0-9]{12})\.([a-f0-9]{48})$/;
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** User tokens: made by the admin, checked on every request. */
export class UserTokens {
  constructor(private readonly store: StateStore, private readonly now: () => number = Date.now) {}

  /** A new token for USER in GROUPS; ttlSeconds 0: it never expires. The token is shown only this once. */
  async create(o: { user: string; groups: string[]; ttlSeconds: number }): Promise<{ token: string; expires?: string }> {
    const secret = randomBytes(24).toString('hex');
    const expires = o.ttlSeconds > 0 ? new Date(this.now() + o.ttlSeconds * 1000).toISOString() : undefined;
    for (let attempt = 0; ; attempt++) {
      const id = randomBytes(6).toString('hex');
      const stored: StoredUserToken = { id, user: o.user, groups: o.groups, secretSha256: sha256(secret), createdAt: new Date(this.now()).toISOString(), ...(expires ? { expires } : {}) };
      try {
        await this.store.create(userTokenPrefix + id, JSON.stringify(stored));
        return { token: `lt-user-${id}.${secret}`, ...(expires ? { expires } : {}) };
      } catch (e) {
        if (!(e instanceof StoreConflictError) || attempt >= 5) throw e;
      }
    }
  }

  /** Every stored token, without its secret's hash (`lcctl get users`). */
  async list(): Promise<UserTokenInfo[]> {
    const { items } = await this.store.list(userTokenPrefix);
    return items.map((kv) => {
      const t = JSON.parse(kv.value) as StoredUserToken;
      return { id: t.id, user: t.user, groups: t.groups, createdAt: t.createdAt, ...(t.expires ? { expires: t.expires } : {}) };
    }).sort((a, b) => a.user.localeCompare(b.user) || a.createdAt.localeCompare(b.createdAt));
  }

  /** Revoke every token of USER (at once on every server: they read the store); the ids deleted. */
  async revoke(user: string): Promise<string[]> {
    const gone: string[] = [];
    for (const t of await this.list()) {
      if (t.user !== user) continue;
      await this.store.delete(userTokenPrefix + t.id).catch((e: unknown) => { if (!(e instanceof StoreConflictError)) throw e; });
      gone.push(t.id);
    }
    return gone;
  }

  /** The user of a current token; undefined for text that is not one; Unauthorized when it expired. */
  async identify(token: string | undefined): Promise<Identity | undefined> {
    const m = token === undefined ? null : TOKEN.exec(token);
    if (!m) return undefined;
    const kv = await this.store.get(userTokenPrefix + m[1]!);
    if (!kv) return undefined;
    const stored = JSON.parse(kv.value) as StoredUserToken;
    const want = Buffer.from(stored.secretSha256, 'hex');
    const got = Buffer.from(sha256(m[2]!), 'hex');
    if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
    if (stored.expires !== undefined && Date.parse(stored.expires) <= this.now()) {
      throw new ApiError('Unauthorized', `the token of user "${stored.user}" expired at ${stored.expires}: ask an admin for a new one ("lcctl create user ${stored.user} --token")`);
    }
    return { name: stored.user, role: 'user', groups: [...stored.groups, authenticatedGroup] };
  }
}
