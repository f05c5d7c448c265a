/**
 * Attach the local terminal to a running container (POST .../pods/NAME/attach, same upgrade and
 * framing as exec). Servers without the endpoint answer 404, reported as 'unsupported'.
 */
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { resourcePath } from '../../client/paths.js';
import { isCode } from '../errors.js';
import { openUpgrade } from './upgrade.js';
import { runSession } from './session.js';
import { attachTerminal, terminalSize } from './terminal.js';

/** Attach; resolves with the exit status the server sent, undefined when none, or 'unsupported'. */
export async function attach(client: HttpClient, pod: Pod, opts: { stdin: boolean; tty: boolean }): Promise<number | undefined | 'unsupported'> {
  const q = new URLSearchParams({ stdin: String(opts.stdin), stdout: 'true', stderr: String(!opts.tty), tty: String(opts.tty) });
  q.set('container', pod.spec.containers[0]!.name);
  const size = opts.tty ? terminalSize() : undefined;
  if (size) { q.set('cols', String(size.cols)); q.set('rows', String(size.rows)); }
  let up;
  try {
    up = await openUpgrade(client, `${resourcePath('pods', pod.metadata.namespace ?? 'default', pod.metadata.name, 'attach')}?${q.toString()}`);
  } catch (e) {
    if (isCode(e, 'NotFound')) return 'unsupported';
    throw e;
  }
  const session = runSession(up, { stdin: opts.stdin ? process.stdin : undefined, stdout: process.stdout, stderr: process.stderr });
  const restore = opts.tty ? attachTerminal(session, opts.stdin) : () => {};
  try {
    const r = await session.result;
    return r.exitCode;
  } finally {
    restore();
  }
}
