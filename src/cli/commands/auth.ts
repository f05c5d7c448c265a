/** lcctl auth whoami (T1) | can-i (T2): questions about the caller's identity and permissions, as kubectl auth. */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { UsageError } from '../errors.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'auth',
  usage: 'auth whoami [-o json|yaml] | auth can-i VERB RESOURCE[/NAME] [-n NS] [--as USER] [--list]',
  summary: 'Inspect authorization: who the server takes you for (whoami), what you may do (can-i)',
  style: 'kubectl',
  flags: [
    { name: 'output', short: 'o', type: 'string', help: 'whoami: json or yaml instead of the table', value: 'format' },
    namespaceFlag,
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'can-i: ask about every namespace' },
    { name: 'as', type: 'string', help: 'can-i: ask as this user (Impersonate-User; the admin may)', value: 'user' },
    { name: 'as-group', type: 'list', help: 'can-i: with --as, a group of that user (repeat for several)', value: 'group' },
    { name: 'list', type: 'bool', help: 'can-i: list every action allowed in the namespace' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'can-i: print nothing; the exit status answers (0 yes, 1 no)' },
    { name: 'subresource', type: 'string', help: 'can-i: the subresource to ask about (log, exec ...)' },
  ],
  notes: `Examples:
  lcctl auth whoami
  lcctl auth can-i create deployments -n team-a --as alice   (exit 0 yes, 1 no)
  lcctl auth can-i --list -n team-a
  LANTERN_CONFIG=alice.yaml lcctl auth whoami -o json`,
};

/** The subcommands, each in its own file under cli/auth/ (loaded when it runs). */
const subcommands: Record<string, () => Promise<(p: Parsed) => Promise<number>>> = {
  whoami: async () => (await import('../auth/whoami.js')).whoami,
  'can-i': async () => (await import('../auth/can-i.js')).canI,
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const sub = p.args[0];
  const load = sub === undefined ? undefined : subcommands[sub];
  if (load === undefined) throw new UsageError(`lcctl auth takes one of: ${Object.keys(subcommands).join(', ')}`);
  return (await load())(p);
}
