/** lcctl pull: pull an image from its registry into a node, with per-layer progress. */
import type { ImageSummary } from '../../api/node-services.js';
import type { CommandSpec, Parsed } from '../args.js';
import { UsageError } from '../errors.js';
import { runTransfer } from '../distribution/transfer.js';
import { nodeFlag } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'pull',
  usage: 'pull [OPTIONS] NAME[:TAG|@DIGEST]',
  summary: 'Download an image from a registry',
  style: 'docker',
  flags: [
    { name: 'platform', type: 'string', help: 'Pull this platform from a multi-platform image (os/arch[/variant], e.g. linux/arm64)', value: 'string' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
    nodeFlag('The node to pull to (needed when several are connected)'),
  ],
  notes: 'Credentials saved by `lcctl login REGISTRY` are sent along for this pull only. An interrupted pull resumes\nwhere it stopped when run again.',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl pull" requires exactly 1 argument (got ${p.args.length})`);
  const ref = p.args[0]!;
  const q = new URLSearchParams({ ref });
  const platform = p.str('platform');
  if (platform) q.set('platform', platform);
  const { done, view } = await runTransfer(p, 'pull', ref, q);
  const image = done.image as ImageSummary;
  const name = image.names[0] ?? `${ref}@${image.digest}`;
  if (!p.bool('quiet')) {
    process.stdout.write(view.transferred.size > 0 ? `Status: Downloaded newer image for ${ref}\n` : `Status: Image is up to date for ${ref}\n`);
  }
  process.stdout.write(`${name}\n`);
  return 0;
}
