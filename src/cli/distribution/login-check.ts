/** Checks credentials against a registry's /v2/ the way `docker login` does, before they are saved. */
import http from 'node:http';
import https from 'node:https';
import { parseChallenges, plainHttpAllowed, registryHost, sameRegistryHost } from '../../api/registry-auth.js';
import { CliError } from '../errors.js';
import type { Credential } from './credentials.js';

/** Registries lcctl may reach over plain HTTP besides loopback: LANTERN_INSECURE_REGISTRIES="host:port,...". */
export function insecureFromEnv(env: NodeJS.ProcessEnv): string[] {
  return (env.LANTERN_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** Where lcctl is: the registries it may reach over plain HTTP, and its server (URL, CA) whose registry it trusts with the cluster CA. */
export interface LoginContext {
  insecure: readonly string[];
  server?: { server: string; ca?: string };
}

interface Answer { status: number; header: (name: string) => string }

/** One GET (answer body discarded); `tls` says how HTTPS is checked. */
function get(url: string, headers: Record<string, string>, host: string, tls: { ca?: string; verify: boolean }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const opts = { headers: { 'user-agent': 'lcctl', ...headers }, timeout: 30_000,
      ...(u.protocol === 'https:' ? { rejectUnauthorized: tls.verify, ...(tls.ca ? { ca: tls.ca } : {}) } : {}) };
    const req = (u.protocol === 'https:' ? https : http).get(u, opts, (res) => {
      res.resume();
      const h = res.headers;
      resolve({ status: res.statusCode ?? 0, header: (n) => { const v = h[n.toLowerCase()]; return Array.isArray(v) ? v.join(', ') : v ?? ''; } });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new CliError(`cannot reach registry ${host} (${url}): ${e.code ?? e.message}`)));
  });
}

/**
 * How to reach HOST's /v2/: HTTPS first. Lantern's own registry (HOST is lcctl's server) is checked
 * against the cluster CA from the config's caData; a loopback or insecure registry may answer with
 * any certificate (Docker's rule), and over plain HTTP when HTTPS cannot connect.
 */
async function reach(host: string, ctx: LoginContext): Promise<{ base: string; tls: { ca?: string; verify: boolean } }> {
  const own = ctx.server && sameRegistryHost(host, new URL(ctx.server.server).host) ? ctx.server : undefined;
  if (own) return { base: `${new URL(own.server).protocol}//${host}`, tls: { ...(own.ca ? { ca: own.ca } : {}), verify: true } };
  if (!plainHttpAllowed(host, ctx.insecure)) return { base: `https://${host}`, tls: { verify: true } };
  const tls = { verify: false };
  try {
    await get(`https://${host}/v2/`, {}, host, tls);
    return { base: `https://${host}`, tls };
  } catch {
    return { base: `http://${host}`, tls };
  }
}

/** Resolves when the registry accepts the credentials; throws a CliError saying why it did not. */
export async function checkLogin(server: string, cred: Credential, ctx: LoginContext = { insecure: [] }): Promise<void> {
  const host = registryHost(server === 'https://index.docker.io/v1/' ? 'docker.io' : server);
  const { base, tls } = await reach(host, ctx);
  const basic = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
  const first = await get(`${base}/v2/`, {}, host, tls);
  if (first.status >= 200 && first.status < 300) return;
  if (first.status !== 401) throw new CliError(`registry ${host} answered ${first.status} at ${base}/v2/: is it an OCI/Docker registry?`);
  const challenges = parseChallenges(first.header('www-authenticate'));
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  let res: Answer;
  if (bearer?.params.realm) {
    const url = new URL(bearer.params.realm);
    if (bearer.params.service) url.searchParams.set('service', bearer.params.service);
    res = await get(url.toString(), { authorization: basic }, url.host, url.host === host ? tls : { verify: true });
  } else {
    res = await get(`${base}/v2/`, { authorization: basic }, host, tls);
  }
  if (res.status === 401 || res.status === 403) throw new CliError(`login to ${host} failed: unauthorized: incorrect username or password`);
  if (res.status < 200 || res.status >= 300) throw new CliError(`login to ${host} failed: the registry answered ${res.status}`);
}
