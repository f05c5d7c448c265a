import { randomBytes } from 'node:crypto';
import { loopbackAliases } from '../api/registry-auth.js';
import type { RegistryAccess } from '../agent/registry-access.js';
import type { TokenAuthenticator } from '../server/http/auth.js';
import { defaultSans } from './pki/pki.js';

/** What the server knows about itself when it builds its own node. */
export interface ServerNodeRegistryOptions {
  /** The URL the server wrote into admin.yaml ("https://127.0.0.1:6443"). */
  url: string;
  /** The --listen host ("0.0.0.0" reaches the server by every address of the machine). */
  listenHost: string;
  /** PEM of the cluster CA; absent with --insecure-http. */
  ca: string | undefined;
  nodeName: string;
  auth: TokenAuthenticator;
  insecure: string[];
  /** --tls-san: more names the serving certificate holds. */
  tlsSans: string[];
}

/**
 * The server's own node's access to registries. Its built-in registry is reached by the server's
 * own address (and, listening on every address, by the names in its certificate), over the
 * server's scheme, trusting the cluster CA, with a node token that lives only in this process
 * (never written anywhere) and may only do what a node may: pull.
 */
export function serverNodeRegistries(o: ServerNodeRegistryOptions): RegistryAccess {
  const url = new URL(o.url);
  const https = url.protocol === 'https:';
  const token = `lt-local-node-${randomBytes(32).toString('base64url')}`;
  o.auth.add(token, { name: `system:node:${o.nodeName}`, role: 'node' });
  const port = url.port || (https ? '443' : '80');
  const wildcard = o.listenHost === '0.0.0.0' || o.listenHost === '::' || o.listenHost === '[::]';
  const names = https && wildcard ? defaultSans(o.tlsSans).map((s) => `${s.includes(':') ? `[${s}]` : s}:${port}`) : [];
  const aliases = [...new Set([...loopbackAliases(url.host), ...names])].filter((h) => h !== url.host);
  return {
    insecure: o.insecure,
    server: { host: url.host, ...(aliases.length > 0 ? { aliases } : {}), scheme: https ? 'https' : 'http', token, ...(https && o.ca ? { ca: o.ca } : {}), mirror: false },
  };
}
