/** lcctl login: check credentials against a registry and save them in the config file (mode 0600). */
import type { CommandSpec, Parsed } from '../args.js';
import { CliError, UsageError } from '../errors.js';
import { loadCredential, registryKey, saveCredential } from '../distribution/credentials.js';
import { checkLogin, insecureFromEnv } from '../distribution/login-check.js';
import { connect } from '../connect.js';
import { promptLine, readStdinSecret } from '../distribution/prompt.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'login',
  usage: 'login [OPTIONS] [SERVER]',
  summary: 'Log in to a registry',
  style: 'docker',
  flags: [
    { name: 'username', short: 'u', type: 'string', help: 'Username', value: 'string' },
    { name: 'password', short: 'p', type: 'string', help: 'Password', value: 'string' },
    { name: 'password-stdin', type: 'bool', help: 'Take the password from stdin' },
  ],
  notes: 'SERVER defaults to Docker Hub. The credentials are checked against the registry\'s /v2/ and saved in the\nconfig file (LANTERN_CONFIG or ~/.lantern/config.yaml, mode 0600); pull and push send them to the node\nfor that call only.',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length > 1) throw new UsageError(`"lcctl login" requires at most 1 argument (got ${p.args.length})`);
  const server = registryKey(p.args[0]);
  let password = p.str('password');
  if (p.bool('password-stdin')) {
    if (password !== undefined) throw new UsageError('--password and --password-stdin are mutually exclusive');
    if (!p.str('username')) throw new UsageError('Must provide --username with --password-stdin');
    password = await readStdinSecret();
  } else if (password !== undefined) {
    process.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  }
  let username = p.str('username');
  if (!username) {
    const saved = loadCredential(server)?.username;
    username = (await promptLine(`Username${saved ? ` (${saved})` : ''}: `, false)) || saved || '';
  }
  if (!username) throw new CliError('Error: Non-null Username Required');
  password ??= await promptLine('Password: ', true);
  if (!password) throw new CliError('Error: Password Required');
  // lcctl's own server's registry is checked against the cluster CA of its config (caData).
  let own: { server: string; ca?: string } | undefined;
  try { own = connect(p).config; } catch { own = undefined; }
  await checkLogin(server, { username, password }, { insecure: insecureFromEnv(process.env), ...(own ? { server: own } : {}) });
  saveCredential(server, { username, password });
  process.stdout.write('Login Succeeded\n');
  return 0;
}
