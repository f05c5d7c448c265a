/** lcctl logout: forget the saved credentials of a registry. */
import type { CommandSpec, Parsed } from '../args.js';
import { UsageError } from '../errors.js';
import { registryKey, saveCredential } from '../distribution/credentials.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'logout',
  usage: 'logout [SERVER]',
  summary: 'Log out from a registry',
  style: 'docker',
  flags: [],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length > 1) throw new UsageError(`"lcctl logout" requires at most 1 argument (got ${p.args.length})`);
  const server = registryKey(p.args[0]);
  if (saveCredential(server, undefined)) process.stdout.write(`Removing login credentials for ${server}\n`);
  else process.stdout.write(`Not logged in to ${server}\n`);
  return 0;
}
