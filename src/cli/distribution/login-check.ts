/** Checks credentials against a registry's /v2/ the way `docker login` does, before they are saved. */
import { parseChallenges, plainHttpAllowed, registryHost } from '../../api/registry-auth.js';
import { CliError } from '../errors.js';
import type { Credential } from './credentials.js';

/** Registries lcctl may reach over plain HTTP besides loopback: LANTERN_INSECURE_REGISTRIES="host:port,...". */
export function insecureFromEnv(): string[] {
  return (process.env.LANTERN_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

async function get(url: string, headers: Record<string, string>, host: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { 'user-agent': 'lcctl', ...headers } });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach registry ${host} (${url}): ${cause?.code ?? cause?.message ?? (e as Error).message}`);
  }
}

/** Resolves when the registry accepts the credentials; throws a CliError saying why it did not. */
export async function checkLogin(server: string, cred: Credential): Promise<void> {
  const host = registryHost(server === 'https://index.docker.io/v1/' ? 'docker.io' : server);
  const base = `${plainHttpAllowed(host, insecureFromEnv()) ? 'http' : 'https'}://${host}`;
  const basic = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
  const first = await get(`${base}/v2/`, {}, host);
  await first.body?.cancel();
  if (first.ok) return;
  if (first.status !== 401) throw new CliError(`registry ${host} answered ${first.status} at ${base}/v2/: is it an OCI/Docker registry?`);
  const challenges = parseChallenges(first.headers.get('www-authenticate') ?? '');
  const bearer = challenges.find((c) => c.scheme === 'bearer');
  let res: Response;
  if (bearer?.params.realm) {
    const url = new URL(bearer.params.realm);
    if (bearer.params.service) url.searchParams.set('service', bearer.params.service);
    res = await get(url.toString(), { authorization: basic }, url.host);
  } else {
    res = await get(`${base}/v2/`, { authorization: basic }, host);
  }
  await res.body?.cancel();
  if (res.status === 401 || res.status === 403) throw new CliError(`login to ${host} failed: unauthorized: incorrect username or password`);
  if (!res.ok) throw new CliError(`login to ${host} failed: the registry answered ${res.status}`);
}
