/**
 * The agent's half of the version skew policy (server/version-skew.ts): before it uses a stored
 * credential or joins, it reads the server's GET /version (no token needed) and refuses to go on with
 * a server the policy does not allow, so a server too old to check agents itself is caught as well.
 */
import { ApiError } from '../api/errors.js';
import { readAll, type HttpClient } from '../client/http-client.js';
import { skewProblem } from '../server/version-skew.js';

/** Throws Forbidden naming both versions and the policy when agentVersion may not run against the server `client` reaches. */
export async function checkServerVersion(client: HttpClient, agentVersion: string): Promise<void> {
  const res = await client.raw('GET', '/version');
  const text = await readAll(res.body);
  if (res.status !== 200) return; // no /version to read: the server's own check at join decides
  let served: unknown;
  try { served = (JSON.parse(text) as { version?: unknown }).version; } catch { return; }
  if (typeof served !== 'string') return;
  const problem = skewProblem(agentVersion, served);
  if (problem !== undefined) throw new ApiError('Forbidden', `version skew with ${client.config.server}: ${problem}`);
}
