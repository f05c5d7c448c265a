/**
 * lcctl get users [-o json] and lcctl delete user NAME (admin only): the token users the server
 * stores, and revoking all of one user's tokens. Certificate users are not listed: the server keeps
 * no record of the certificates it signs and cannot revoke them (keep `create user --ttl` short).
 */
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';

interface UserToken { id: string; user: string; groups: string[]; createdAt: string; expires?: string }
interface UserTokenList { items: UserToken[] }

/** Whether ARGS (after the verb) name the users of `get users` / `delete user`. */
export const isUsersArg = (word: string | undefined): boolean => word === 'users' || word === 'user';

/** Print the token users: NAME, GROUPS, TOKEN-ID, CREATED, EXPIRES. */
export async function getUsers(p: Parsed): Promise<number> {
  const output = p.str('output') ?? '';
  if (!['', 'json'].includes(output)) throw new UsageError(`--output: ${JSON.stringify(output)} is not one of json (get users)`);
  const list = await connect(p).json<UserTokenList>('GET', '/apis/lantern.dev/v1/users');
  if (output === 'json') { process.stdout.write(`${JSON.stringify(list, null, 2)}\n`); return 0; }
  const rows = list.items.map((t) => [t.user, t.groups.join(',') || '<none>', t.id, t.createdAt, t.expires ?? '<never>']);
  if (rows.length === 0) { process.stderr.write('No token users found (certificate users are not recorded).\n'); return 0; }
  process.stdout.write(renderTable(['NAME', 'GROUPS', 'TOKEN-ID', 'CREATED', 'EXPIRES'], rows, kubeStyle));
  return 0;
}

/** Revoke every token of each named user. */
export async function deleteUsers(p: Parsed): Promise<number> {
  const names = p.args.slice(1);
  if (names.length === 0) throw new UsageError('usage: lcctl delete user NAME...');
  const client = connect(p);
  for (const name of names) {
    const r = await client.json<{ details?: { revokedTokens?: string[] } }>('DELETE', `/apis/lantern.dev/v1/users/${encodeURIComponent(name)}`);
    process.stdout.write(`user "${name}" deleted (${r.details?.revokedTokens?.length ?? 0} token(s) revoked)\n`);
  }
  return 0;
}
