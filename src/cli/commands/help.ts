/** lcctl help [COMMAND]: the command list, or one command's usage. */
import { formatHelp, type CommandSpec, type Parsed } from '../args.js';
import type { CommandModule } from '../command.js';
import { UsageError } from '../errors.js';
import { mainHelp, verbs } from '../verbs.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'help',
  usage: 'help [COMMAND]',
  summary: 'Help about any command',
  style: 'kubectl',
  flags: [],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const verb = p.args[0];
  if (verb === undefined) { process.stdout.write(mainHelp()); return 0; }
  const entry = Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
  if (!entry) throw new UsageError(`unknown command "${verb}"`);
  const mod = (await import(`./${entry.module}.js`)) as CommandModule;
  process.stdout.write(formatHelp(mod.spec));
  return 0;
}
