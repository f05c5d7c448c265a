/**
 * Registry credentials as they travel from lcctl to a node (Docker's X-Registry-Auth: base64 of JSON),
 * and the WWW-Authenticate challenge parser that both the node's registry client and `lcctl login` use.
 */

/** Credentials for one registry; passed per request, never stored by the server. */
export interface RegistryAuth {
  username?: string;
  password?: string;
  /** An identity/refresh token instead of a password (Docker's identitytoken). */
  identitytoken?: string;
  /** A ready bearer token for the registry itself (Docker's registrytoken). */
  registrytoken?: string;
  serveraddress?: string;
}

/** The HTTP header that carries RegistryAuth from lcctl to the server. */
export const registryAuthHeader = 'x-registry-auth';

/** Encodes credentials for the header (URL-safe base64 of JSON, as Docker does). */
export function encodeRegistryAuth(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth), 'utf8').toString('base64url');
}

/** Decodes the header; undefined when absent; throws a message naming the header when malformed. */
export function decodeRegistryAuth(value: string | undefined): RegistryAuth | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url').toString('utf8'));
  } catch {
    throw new Error(`the ${registryAuthHeader} header is not base64-encoded JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`the ${registryAuthHeader} header must hold a JSON object`);
  const o = parsed as Record<string, unknown>;
  const out: RegistryAuth = {};
  for (const k of ['username', 'password', 'identitytoken', 'registrytoken', 'serveraddress'] as const) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') out[k] = v;
  }
  return out;
}

/** One challenge of a WWW-Authenticate header: `Bearer realm="..",service="..",scope=".."`. */
export interface AuthChallenge {
  /** Lower-case scheme: "basic", "bearer". */
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate value (RFC 7235): several challenges, each a scheme and comma-separated
 * auth-params with token or quoted-string values (commas inside quotes, as in scopes, are kept).
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let i = 0;
  const s = header;
  const skip = (): void => { while (i < s.length && /[\s,]/.test(s[i]!)) i++; };
  const token = (): string => { const m = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/.exec(s.slice(i)); i += m ? m[0].length : 0; return m ? m[0] : ''; };
  while (i < s.length) {
    skip();
    const scheme = token();
    if (!scheme) { i++; continue; }
    const c: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(c);
    for (;;) {
      const save = i;
      skip();
      const key = token();
      while (i < s.length && s[i] === ' ') i++;
      if (!key || s[i] !== '=') { i = save; break; }
      i++;
      while (i < s.length && s[i] === ' ') i++;
      let value = '';
      if (s[i] === '"') {
        i++;
        while (i < s.length && s[i] !== '"') { if (s[i] === '\\' && i + 1 < s.length) i++; value += s[i]; i++; }
        i++;
      } else {
        value = token();
      }
      c.params[key.toLowerCase()] = value;
      while (i < s.length && s[i] === ' ') i++;
      if (s[i] !== ',') break;
    }
  }
  return out;
}

/** Docker Hub's API host for the docker.io name (Docker's own special case). */
export function registryHost(domain: string): string {
  return domain === 'docker.io' ? 'registry-1.docker.io' : domain;
}

/** Whether plain HTTP may be used: loopback registries, or ones the user marked insecure. */
export function plainHttpAllowed(host: string, insecure: readonly string[] = []): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(name) || insecure.includes(host) || insecure.includes(name);
}

/** The other name of a loopback host:port ("127.0.0.1:6443" <-> "localhost:6443"); none for other hosts. */
export function loopbackAliases(host: string): string[] {
  const m = /^(localhost|127\.0\.0\.1)(:\d+)?$/i.exec(host);
  if (!m) return [];
  return [`${m[1]!.toLowerCase() === 'localhost' ? '127.0.0.1' : 'localhost'}${m[2] ?? ''}`];
}

/** Whether two registry hosts (host[:port]) name the same place: equal, or loopback twins on one port. */
export function sameRegistryHost(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || loopbackAliases(x).includes(y);
}
