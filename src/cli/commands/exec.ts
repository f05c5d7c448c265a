/** lcctl exec: run a command in a running container over an upgraded stream; exits with its status. */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { CliError, UsageError, isApiError } from '../errors.js';
import { resolveTarget } from '../pods/resolve.js';
import { resourcePath } from '../../client/paths.js';
import { openUpgrade } from '../io/upgrade.js';
import { runSession, startFailureCode } from '../io/session.js';
import { attachTerminal, terminalSize } from '../io/terminal.js';
import { dockerUser, envPair } from '../run/units.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'exec',
  usage: 'exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  summary: 'Execute a command in a running container',
  style: 'docker',
  interspersed: false,
  flags: [
    { name: 'interactive', short: 'i', type: 'bool', help: 'Keep STDIN open' },
    { name: 'tty', short: 't', type: 'bool', help: 'Allocate a pseudo-TTY' },
    { name: 'env', short: 'e', type: 'list', help: 'Set environment variables (KEY=VALUE, or KEY to copy it from here)' },
    { name: 'user', short: 'u', type: 'string', help: 'uid[:gid] to run as' },
    { name: 'workdir', short: 'w', type: 'string', help: 'Working directory inside the container' },
    { name: 'container', short: 'c', type: 'string', help: 'Container of a multi-container pod' },
    namespaceFlag,
  ],
  notes: 'Exit status: that of the command; 126 when it cannot be invoked, 127 when it is not found.',
};

/** The exec URL for the options. */
export function execPath(ns: string, pod: string, command: string[], o: { stdin: boolean; tty: boolean; container?: string; env: string[]; user?: string; workingDir?: string; size?: { cols: number; rows: number } }): string {
  const q = new URLSearchParams();
  for (const c of command) q.append('command', c);
  q.set('stdin', String(o.stdin));
  q.set('tty', String(o.tty));
  if (o.container) q.set('container', o.container);
  for (const e of o.env) q.append('env', e);
  if (o.user) q.set('user', o.user);
  if (o.workingDir) q.set('workingDir', o.workingDir);
  if (o.size) { q.set('cols', String(o.size.cols)); q.set('rows', String(o.size.rows)); }
  return `${resourcePath('pods', ns, pod, 'exec')}?${q.toString()}`;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [ref, ...command] = p.args;
  if (ref === undefined || command.length === 0) throw new UsageError('"lcctl exec" requires at least 2 arguments (the container and the command)');
  const stdin = p.bool('interactive');
  const tty = p.bool('tty');
  if (tty && stdin && !process.stdin.isTTY) throw new CliError('the input device is not a TTY');
  const env = p.list('env').map((e) => envPair(e, process.env)).filter((e) => e !== undefined).map((e) => `${e.name}=${e.value}`);
  const user = p.str('user');
  if (user !== undefined) dockerUser(user);
  const client = connect(p);
  const ns = namespaceOf(p);
  const target = await resolveTarget(client, ns, ref);
  const container = p.str('container') ?? target.container;
  const size = tty ? terminalSize() : undefined;
  let up;
  try {
    up = await openUpgrade(client, execPath(ns, target.pod.metadata.name, command, {
      stdin, tty, env, user, workingDir: p.str('workdir'), size, container,
    }));
  } catch (e) {
    // The agent may refuse before the upgrade; keep Docker's 126/127 for commands that cannot start.
    if (isApiError(e) && e.code !== 'NotFound' && /executable file not found|no such file|permission denied|exec format error/i.test(e.message)) {
      process.stderr.write(`lcctl: Error: ${e.message}\n`);
      return startFailureCode(e.message);
    }
    throw e;
  }
  const session = runSession(up, { stdin: stdin ? process.stdin : undefined, stdout: process.stdout, stderr: process.stderr });
  const restore = tty ? attachTerminal(session, stdin) : () => {};
  let result;
  try { result = await session.result; } finally { restore(); }
  if (result.exitCode !== undefined) return result.exitCode;
  if (result.error !== undefined) {
    process.stderr.write(`lcctl: Error: ${result.error}\n`);
    return startFailureCode(result.error);
  }
  throw new CliError('the connection closed before the command\'s exit status arrived');
}
