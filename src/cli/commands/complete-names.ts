/**
 * lcctl __complete names KIND [-n NS]: the hidden helper the completion scripts call while the user
 * presses TAB. It prints the names of KIND's objects, one a line, and prints nothing (exit 0) on any
 * error or after a short timeout, so a down server never spoils the shell.
 */
import type { ApiObject } from '../../api/meta.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { resolveKind } from '../../api/kinds/names.js';
import { resourcePath } from '../../client/paths.js';
import { readAll } from '../../client/http-client.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: '__complete',
  usage: '__complete names KIND [-n NAMESPACE]',
  summary: 'List object names for the shell completion scripts (not for users)',
  style: 'kubectl',
  flags: [namespaceFlag],
};

/** How long a TAB may wait for the server. */
const timeoutMs = 2000;

/** Names of the objects of a kind, or [] when the kind is unknown or the server does not answer well. */
async function names(p: Parsed, kindName: string): Promise<string[]> {
  const kind = resolveKind(kindName.split('/')[0] ?? '');
  if (kind === undefined) return [];
  const client = connect(p);
  const res = await client.raw('GET', resourcePath(kind.resource, kind.namespaced ? namespaceOf(p) : undefined));
  const text = await readAll(res.body);
  if (res.status !== 200) return [];
  const list = JSON.parse(text) as { items?: ApiObject[] };
  return (list.items ?? []).map((o) => o.metadata.name).sort();
}

/** Run the verb; resolves with the exit status (always 0). */
export async function run(p: Parsed): Promise<number> {
  if (p.args[0] !== 'names' || p.args[1] === undefined) return 0;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string[]>((resolve) => { timer = setTimeout(() => resolve([]), timeoutMs); });
  const found = await Promise.race([names(p, p.args[1]).catch(() => []), late]);
  clearTimeout(timer);
  if (found.length > 0) process.stdout.write(`${found.join('\n')}\n`);
  return 0;
}
