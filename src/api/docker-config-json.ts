/**
 * The `.dockerconfigjson` of a Secret of type kubernetes.io/dockerconfigjson (Docker's config.json:
 * `{"auths": {"HOST": {"username", "password"} | {"auth": base64("user:pass")} | {"identitytoken"}}}`),
 * read by the API (validation) and the node (pulls).
 */
import type { RegistryAuth } from './registry-auth.js';

/** The Secret type that carries registry credentials. */
export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';

/** A registry's key as Docker writes it: index.docker.io's v1 URL, else host[:port] without scheme or path. */
export function registryHostOf(key: string): string {
  const bare = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return bare === 'index.docker.io' || bare === 'registry-1.docker.io' ? 'docker.io' : bare;
}

/** Credentials by registry host, or what is wrong with the data (base64 as stored in Secret.data). */
export function parseDockerConfigJson(type: string | undefined, base64: string | undefined): { auths: Map<string, RegistryAuth> } | { error: string } {
  if (type !== DOCKER_CONFIG_JSON_TYPE) return { error: `type is ${JSON.stringify(type ?? 'Opaque')}, expected ${DOCKER_CONFIG_JSON_TYPE}` };
  if (base64 === undefined) return { error: 'data[.dockerconfigjson] is missing' };
  let doc: unknown;
  try { doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')); } catch { return { error: 'data[.dockerconfigjson] is not JSON' }; }
  const auths = (doc as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths)) return { error: 'data[.dockerconfigjson] must be a JSON object with an "auths" object' };
  const out = new Map<string, RegistryAuth>();
  for (const [key, v] of Object.entries(auths as Record<string, unknown>)) {
    if (typeof v !== 'object' || v === null) return { error: `data[.dockerconfigjson].auths[${key}] must be an object` };
    const e = v as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof e[k] === 'string' && e[k] !== '' ? e[k] : undefined);
    const auth: RegistryAuth = {};
    const joined = str('auth');
    if (joined !== undefined) {
      const plain = Buffer.from(joined, 'base64').toString('utf8');
      const colon = plain.indexOf(':');
      if (colon < 0) return { error: `data[.dockerconfigjson].auths[${key}].auth must be base64 of "user:password"` };
      auth.username = plain.slice(0, colon);
      auth.password = plain.slice(colon + 1);
    }
    const user = str('username');
    const pass = str('password');
    if (user !== undefined) auth.username = user;
    if (pass !== undefined) auth.password = pass;
    const token = str('identitytoken');
    if (token !== undefined) auth.identitytoken = token;
    const rt = str('registrytoken');
    if (rt !== undefined) auth.registrytoken = rt;
    out.set(registryHostOf(key), auth);
  }
  return { auths: out };
}
