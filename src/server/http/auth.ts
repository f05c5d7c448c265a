import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';

/**
 * Who made a request, as established from its bearer token: an admin, a node (name
 * `system:node:NAME`, from its per-node credential) or the holder of the node join token.
 */
export interface Identity { name: string; role: 'admin' | 'node' | 'join' }

/**
 * Resolves tokens the authenticator does not hold itself (per-node credentials and join tokens in
 * the store); it is given the request's connection, so a revoked node's connections can be cut.
 */
export type TokenLookup = (token: string, connection?: IncomingMessage['socket']) => Promise<Identity | undefined>;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Bearer-token authentication against the server's known tokens and, when given, a lookup. */
export class TokenAuthenticator {
  private readonly tokens: { hash: Buffer; identity: Identity }[] = [];

  constructor(private readonly lookup?: TokenLookup) {}

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
    return this.tokens.find((t) => timingSafeEqual(t.hash, hash))?.identity ?? await this.lookup?.(token, req.socket);
  }

  async authenticate(req: IncomingMessage): Promise<Identity> {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError('Unauthorized', 'a bearer token is required: pass --token, set LANTERN_TOKEN, or use the admin config the server wrote');
    const hash = digest(m[1]!);
    const found = this.tokens.find((t) => timingSafeEqual(t.hash, hash));
    if (found) return found.identity;
    const looked = await this.lookup?.(m[1]!, req.socket);
    if (looked) return looked;
    throw new ApiError('Unauthorized', 'the token is not valid for this server');
  }
}
