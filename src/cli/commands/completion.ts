/** lcctl completion bash|zsh|fish: print a shell completion script made from lcctl's verb, flag and kind lists. */
import type { CommandSpec, Parsed } from '../args.js';
import { UsageError } from '../errors.js';
import { completionModel } from '../completion/model.js';
import { bashScript } from '../completion/bash.js';
import { zshScript } from '../completion/zsh.js';
import { fishScript } from '../completion/fish.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'completion',
  usage: 'completion bash|zsh|fish',
  summary: 'Print a shell completion script for bash, zsh or fish',
  style: 'kubectl',
  flags: [],
  notes: 'bash:  source <(lcctl completion bash)    (or write it to /etc/bash_completion.d/lcctl)\n' +
    'zsh:   source <(lcctl completion zsh)\n' +
    'fish:  lcctl completion fish | source       (or write it to ~/.config/fish/completions/lcctl.fish)\n' +
    'Verbs, flags and kinds come from lcctl itself; object names from the server, when it answers.',
};

const shells = { bash: bashScript, zsh: zshScript, fish: fishScript };

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const shell = p.args[0];
  if (p.args.length !== 1 || shell === undefined || !Object.hasOwn(shells, shell)) {
    throw new UsageError(`"lcctl completion" needs one shell: bash, zsh or fish${shell === undefined ? '' : ` (got "${p.args.join(' ')}")`}`);
  }
  process.stdout.write(shells[shell as keyof typeof shells](await completionModel()));
  return 0;
}
