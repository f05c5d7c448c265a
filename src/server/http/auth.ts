import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';

/**
 * Who made a request, as established from its bearer token or client certificate: an admin, a node
 * (name `system:node:NAME`, from its per-node credential), the holder of the node join token, or a
 * user (a person from a client certificate or user token, or a ServiceAccount
 * `system:serviceaccount:NS:NAME`) whose every request the cluster's RBAC objects decide.
 */
export interface Identity {
  name: string;
  role: 'admin' | 'node' | 'join' | 'user';
  /** A user's groups (a certificate's O, `system:serviceaccounts[:NS]`, `system:authenticated`); role 'user' only. */
  groups?: readonly string[];
  /** A user's uid when one is known (a ServiceAccount's). */
  uid?: string;
  /** For role 'user': what decides its requests (server/rbac; set by the authenticator). None means every request is refused. */
  authorizer?: UserAuthorizer;
}

/** One request in the words of authz.ts' Action, as an RBAC authorizer sees it (kept structural to avoid an import cycle). */
export interface UserAction { verb: string; resource: string; namespace?: string; name?: string }

/** The decision for a user's request: allowed or not, and why (the reason goes into the 403's message). */
export interface UserDecision { allowed: boolean; reason: string }

/** Decides a user's requests from the cluster's Roles and bindings (server/rbac implements it). */
export interface UserAuthorizer {
  decide(user: Identity, action: UserAction): UserDecision;
  /** Escalation prevention for a write the rules allowed (an RBAC object granting more than the user holds); absent: nothing more. */
  checkWrite?(user: Identity, resource: string, obj: unknown): UserDecision;
}

/**
 * Resolves tokens the authenticator does not hold itself (per-node credentials and join tokens in
 * the store); it is given the request's connection, so a revoked node's connections can be cut.
 */
export type TokenLookup = (token: string, connection?: IncomingMessage['socket']) => Promise<Identity | undefined>;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * A further way to know the caller (server/identity: client certificates, user tokens, ServiceAccount
 * tokens): the bearer token when one came (undefined otherwise); undefined when it does not know it.
 */
export type RequestAuthenticator = (req: IncomingMessage, token: string | undefined) => Promise<Identity | undefined>;

/** Bearer-token authentication against the server's known tokens and, when given, a lookup. */
export class TokenAuthenticator {
  private readonly tokens: { hash: Buffer; identity: Identity }[] = [];
  private readonly more: RequestAuthenticator[] = [];
  /** What decides every 'user' identity's requests (T2's RBAC authorizer); attached to each one returned. */
  userAuthorizer: UserAuthorizer | undefined;

  constructor(private readonly lookup?: TokenLookup) {}

  /** Also ask AUTH (after the tokens and the lookup): server/identity's authenticators. */
  use(auth: RequestAuthenticator): void { this.more.push(auth); }

  private async others(req: IncomingMessage, token: string | undefined): Promise<Identity | undefined> {
    for (const a of this.more) {
      const id = await a(req, token);
      if (id !== undefined) return this.withAuthorizer(id);
    }
    return undefined;
  }

  private withAuthorizer(id: Identity): Identity {
    return id.role === 'user' && id.authorizer === undefined && this.userAuthorizer !== undefined ? { ...id, authorizer: this.userAuthorizer } : id;
  }

  add(token: string, identity: Identity): void { this.tokens.push({ hash: digest(token), identity }); }

  /** Stop accepting a token given to add() (admin token rotation): from the next request on. */
  remove(token: string): void {
    const hash = digest(token);
    for (let i = this.tokens.length - 1; i >= 0; i--) if (timingSafeEqual(this.tokens[i]!.hash, hash)) this.tokens.splice(i, 1);
  }

  /**
   * The caller of a registry request (docker and skopeo send Basic credentials): the token as a
   * bearer token or as the password of Basic auth with any user name; undefined when none is valid.
   */
  async identify(req: IncomingMessage): Promise<Identity | undefined> {
    const header = req.headers.authorization ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8') : undefined;
    const token = decoded !== undefined ? decoded.slice(decoded.indexOf(':') + 1) : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) return undefined;
    const hash = digest(token);
    return this.tokens.find((t) => timingSafeEqual(t.hash, hash))?.identity ?? await this.lookup?.(token, req.socket) ?? await this.others(req, token).catch(() => undefined);
  }

  async authenticate(req: IncomingMessage): Promise<Identity> {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      // No token: a client certificate signed by the cluster CA may name the caller.
      const byCert = /^(Bearer\s*)?$/i.test(header) ? await this.others(req, undefined) : undefined;
      if (byCert) return byCert;
      throw new ApiError('Unauthorized', 'a bearer token is required: pass --token, set LANTERN_TOKEN, or use the admin config the server wrote');
    }
    const hash = digest(m[1]!);
    const found = this.tokens.find((t) => timingSafeEqual(t.hash, hash));
    if (found) return found.identity;
    const looked = await this.lookup?.(m[1]!, req.socket);
    if (looked) return looked;
    const other = await this.others(req, m[1]!);
    if (other) return other;
    throw new ApiError('Unauthorized', 'the token is not valid for this server');
  }
}
