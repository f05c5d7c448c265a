import path from 'node:path';
import type { ApiClient } from '../client/types.js';
import type { StateStore } from '../store/types.js';
import { TokenAuthenticator } from '../server/http/auth.js';
import type { ApiServerOptions } from '../server/http/server.js';
import { NodeCredentials } from '../server/node-credentials.js';
import { identifyPeer } from '../server/tunnel/peer-servers.js';
import type { NodeRegistry } from '../server/node-registry.js';
import { JoinTokens } from '../server/join-tokens.js';
import { JoinRateLimiter } from '../server/join-rate-limit.js';
import { revokeOnNodeDelete } from '../server/node-revocation.js';
import { caHash } from './pki/join-token.js';
import type { ServerSecurity } from './security.js';
import { AdminToken } from './admin-token.js';
import { loadOrCreateToken } from './credentials.js';
import { FlagError } from './flags.js';

/** `lanternd server`'s flags for credentials, as usage lines. */
export const credentialFlagsUsage = `  --join-rate-limit N   node joins per minute the server accepts, from all clients together
                        (a token bucket: N at once, then N a minute; 0 turns it off; default 30)
  --join-rate-limit-per-client N  node joins per minute from one client address (default 10; 0: off)
`;

/** The flag spec entries of credentialFlagsUsage. */
export const credentialFlags = { 'join-rate-limit': 'string', 'join-rate-limit-per-client': 'string' } as const;

/** Who may call the server and how its credentials are managed, wired for lanternd server. */
export interface ServerCredentials {
  auth: TokenAuthenticator;
  admin: AdminToken;
  nodeCredentials: NodeCredentials;
  /** What createApiServer takes for joins and the credential routes. */
  apiOptions: Pick<ApiServerOptions, 'joins' | 'credentials'>;
  /** The API as the HTTP server offers it: deleting a Node revokes its credential. */
  guard(api: ApiClient): ApiClient;
}

/** Node joins per minute the server accepts: from all clients together, and from one address. */
export interface JoinRateLimit { perMinute: number; perClientPerMinute: number }

/** --join-rate-limit and --join-rate-limit-per-client (0 turns one off). */
export function joinRateLimitFromFlags(flags: Record<string, string | boolean>): JoinRateLimit {
  return { perMinute: perMinute(flags, 'join-rate-limit', 30), perClientPerMinute: perMinute(flags, 'join-rate-limit-per-client', 10) };
}

function perMinute(flags: Record<string, string | boolean>, name: string, dflt: number): number {
  const v = flags[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0) throw new FlagError(`--${name}: ${JSON.stringify(v)} is not a whole number of joins per minute (0 turns the limit off)`);
  return n;
}

/**
 * Tokens and credentials: the admin token (DATA_DIR/admin-token), the node join token
 * (DATA_DIR/node-token) and the tokens made with `lcctl token create`, per-node credentials with
 * their node secrets, and the joins-per-minute limit. The server's own node (its --node-name unless
 * --no-agent) is reserved: never joined, never tunnelled, any credential stored for it revoked.
 */
export async function serverCredentials(o: {
  store: StateStore; dataDir: string; security: ServerSecurity; nodes: NodeRegistry; joinRateLimit: JoinRateLimit;
  /** Also write ~/.lantern/config.yaml (the default data dir). */
  writeUserConfig: boolean;
  /** The server's own node (absent with --no-agent). */
  ownNode: string | undefined;
}): Promise<ServerCredentials> {
  const limiter = new JoinRateLimiter(o.joinRateLimit);
  const nodeCredentials = new NodeCredentials(o.store);
  // A revoked node's tunnel goes before the revocation answers (its socket closing would lag a tick).
  nodeCredentials.onRevoked((name) => o.nodes.tunnel(name)?.close('its credential was revoked'));
  const joinTokens = new JoinTokens(o.store, caHash(o.security.caCert));
  // A peer server's credential (HA: the relay route, tunnel/peer-servers.ts) is looked up last.
  const auth = new TokenAuthenticator(async (token, connection) => await nodeCredentials.identify(token, connection) ?? await joinTokens.identify(token) ?? await identifyPeer(o.store, token));
  auth.add(o.security.joinToken, { name: 'node-join-token', role: 'join' });
  const admin = new AdminToken(await loadOrCreateToken(path.join(o.dataDir, 'admin-token'), 'lt-admin-'), {
    dataDir: o.dataDir, auth, writeUserConfig: o.writeUserConfig,
  });
  if (o.ownNode !== undefined) {
    o.nodes.reserve(o.ownNode);
    await nodeCredentials.reserve(o.ownNode);
  }
  return {
    auth, admin, nodeCredentials,
    apiOptions: {
      joins: { credentials: nodeCredentials, limiter },
      credentials: { joinTokens, nodeCredentials, rotateAdminToken: () => admin.rotate() },
    },
    guard: (api) => revokeOnNodeDelete(api, nodeCredentials),
  };
}
