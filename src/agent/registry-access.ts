import type { RegistryAuth } from '../api/registry-auth.js';
import type { TransferOptions } from '../image/distribution/types.js';
import { parseReference } from '../image/reference.js';

/** The server's built-in registry as this node reaches it: the API's host:port, a node credential, the cluster CA. */
export interface ServerRegistrySource {
  /** "10.0.0.1:6443". */
  host: string;
  /** Other host:port names that reach the same server ("localhost:6443" beside "127.0.0.1:6443"). */
  aliases?: string[];
  scheme: 'http' | 'https';
  /** A credential the registry lets pull (the node's). */
  token: string;
  /** PEM of the cluster CA (pinned at join; the server's own pki for its own node). */
  ca?: string;
  /**
   * Pull pod images of other registries from it first (remote agents: the server node's images are
   * mirrored there, see src/registry/README.md). Images that name it are pulled from it either way.
   */
  mirror: boolean;
  /** With several servers: how many there are, and moving the node's API client (and so `host`) on to the next. */
  failover?: { count: number; moveOn(host: string, why: string): void };
}

/** How this node reaches registries; the daemon builds it from its flags and hands it in. */
export interface RegistryAccess {
  /** Registries (host or host:port) that may be reached over plain HTTP besides loopback ones. */
  insecure: readonly string[];
  /** The server's built-in registry, when this node knows it. */
  server?: ServerRegistrySource;
}

/** No insecure registries, no server registry (tests, nodes without a server). */
export const plainAccess: RegistryAccess = { insecure: [] };

/** Whether REF's registry is the server's built-in one, by any of its names. */
export function namesServerRegistry(server: ServerRegistrySource | undefined, ref: string): boolean {
  if (!server) return false;
  const domain = parseReference(ref).domain.toLowerCase();
  return [server.host, ...(server.aliases ?? [])].some((h) => h.toLowerCase() === domain);
}

/**
 * The registry settings of a pull or push of REF. The server's registry is reached with the scheme
 * and CA the node knows (no plain-HTTP fallback, no other CA), with the caller's credentials or else
 * the node's own (enough to pull); any other registry is tried over HTTPS, then plain HTTP where the
 * insecure list or loopback allows it, with only the caller's credentials.
 */
export function transferOptionsFor(access: RegistryAccess, ref: string, auth?: RegistryAuth): Pick<TransferOptions, 'auth' | 'insecureRegistries' | 'ca' | 'scheme'> {
  const server = access.server;
  if (server && namesServerRegistry(server, ref)) {
    return { scheme: server.scheme, ...(server.ca ? { ca: server.ca } : {}), auth: auth ?? { registrytoken: server.token } };
  }
  return { insecureRegistries: access.insecure, ...(auth ? { auth } : {}) };
}
