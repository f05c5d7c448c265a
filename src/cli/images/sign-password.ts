/** The password of a cosign key: COSIGN_PASSWORD (empty allowed), else asked on the terminal, as cosign does. */
import { CliError } from '../errors.js';
import { promptLine } from '../distribution/prompt.js';

/** The password to decrypt a key; confirm: ask twice (a new key). */
export async function cosignPassword(confirm: boolean): Promise<string> {
  const env = process.env.COSIGN_PASSWORD;
  if (env !== undefined) return env;
  if (!process.stdin.isTTY) throw new CliError('the key needs a password: set COSIGN_PASSWORD (it may be empty) when there is no terminal to ask on');
  const first = await promptLine(confirm ? 'Enter password for private key: ' : 'Enter password for private key: ', true);
  if (confirm && (await promptLine('Enter password for private key again: ', true)) !== first) throw new CliError('passwords do not match');
  return first;
}
