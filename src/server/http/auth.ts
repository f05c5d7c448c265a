import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../api/errors.js';

/** Who made a request, as established from its bearer token. */
export interface Identity { name: string; role: 'admin' | 'node' }

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Bearer-token authentication against the server's known tokens. */
export class TokenAuthenticator {
  private readonly tokens: { hash: Buffer; identity: Identity }[] = [];

  add(token: string, identity: Identity): void { this.tokens.push({ hash: digest(token), identity }); }

  authenticate(req: IncomingMessage): Identity {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError('Unauthorized', 'a bearer token is required: pass --token, set LANTERN_TOKEN, or use the admin config the server wrote');
    const hash = digest(m[1]!);
    const found = this.tokens.find((t) => timingSafeEqual(t.hash, hash));
    if (!found) throw new ApiError('Unauthorized', 'the token is not valid for this server');
    return found.identity;
  }
}
