/** lcctl create user NAME [--group G]... [--ttl D] [--with-token]: prints a client config for a new user (admin only). */
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../output/durations.js';
import { userConfigYaml } from './user-config.js';

interface UserCredential { user: string; caCert: string; token?: string; clientCertificate?: string; clientKey?: string }

/** Ask the server for the user's credential and print the config to standard output. */
export async function createUser(p: Parsed): Promise<number> {
  const [, name, ...extra] = p.args;
  if (name === undefined || extra.length > 0) throw new UsageError('usage: lcctl create user NAME [--group G]... [--ttl 8760h] [--with-token]');
  const ttlText = p.str('ttl') ?? '8760h';
  const ttl = parseDuration(ttlText);
  if (ttl === undefined || ttl < 60) throw new UsageError(`--ttl: ${JSON.stringify(ttlText)} is not a duration of at least 1m (examples: 24h, 8760h)`);
  const client = connect(p);
  const made = await client.json<UserCredential>('POST', '/apis/lantern.dev/v1/users', { name, groups: p.list('group'), ttlSeconds: Math.round(ttl), token: p.bool('with-token') });
  const base = { server: client.config.server, user: made.user, caPem: client.config.ca ?? made.caCert };
  process.stdout.write(userConfigYaml(made.token !== undefined ? { ...base, token: made.token } : { ...base, cert: made.clientCertificate ?? '', key: made.clientKey ?? '' }));
  return 0;
}
