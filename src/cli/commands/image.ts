/** lcctl image SUBCOMMAND: import, inspect, ls, prune, rm, save (Docker's `docker image ...`). */
import type { CommandSpec, Parsed } from '../args.js';
import { execute, type CommandModule } from '../command.js';
import { UsageError } from '../errors.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image',
  usage: 'image COMMAND',
  summary: 'Manage images',
  style: 'docker',
  interspersed: false,
  flags: [],
  notes: 'Commands:\n  import      Import an image archive (docker save / OCI tar) into a node (alias: load)\n  inspect     Display detailed information on one or more images\n  ls          List images (alias: list)\n  prune       Remove unused images\n  rm          Remove one or more images (alias: remove)\n  save        Save one or more images to a tar archive\n  sign        Sign an image in its registry (cosign-compatible)\n  verify      Verify the cosign signatures of an image\n  generate-key-pair  Generate a cosign-compatible signing key pair\n  scan        Scan an image for known vulnerabilities (offline OSV database)',
};

const subcommands: Record<string, string> = { import: 'image-import', load: 'image-import', ls: 'images', list: 'images', rm: 'rmi', remove: 'rmi', save: 'save', inspect: 'image-inspect', prune: 'image-prune', sign: '../images/sign', verify: '../images/sign-verify', 'generate-key-pair': '../images/sign-keygen', scan: '../images/scan' };

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  if (sub === undefined) throw new UsageError('"lcctl image" requires a subcommand: import, inspect, ls, prune, rm, save, sign, verify, generate-key-pair or scan');
  const module = subcommands[sub];
  if (!module) throw new UsageError(`unknown command "image ${sub}": use import, inspect, ls, prune, rm, save, sign, verify, generate-key-pair or scan`);
  const mod = (await import(`./${module}.js`)) as CommandModule;
  const passOn = [...(p.str('server') ? ['--server', p.str('server')!] : []), ...(p.str('token') ? ['--token', p.str('token')!] : [])];
  return execute(mod, [...passOn, ...rest]);
}
