/** lcctl push: push an image from a node to its registry. */
import type { ImagePushResult } from '../../api/image-transfer.js';
import type { CommandSpec, Parsed } from '../args.js';
import { UsageError } from '../errors.js';
import { runTransfer } from '../distribution/transfer.js';
import { nodeFlag } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'push',
  usage: 'push [OPTIONS] NAME[:TAG]',
  summary: 'Upload an image to a registry',
  style: 'docker',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
    nodeFlag('The node that holds the image (needed when several are connected)'),
  ],
  notes: 'Name the image for the registry first: lcctl tag busybox localhost:5000/lt/busybox:1',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl push" requires exactly 1 argument (got ${p.args.length})`);
  const ref = p.args[0]!;
  const { done } = await runTransfer(p, 'push', ref, new URLSearchParams({ ref }));
  const r = done.push as ImagePushResult;
  if (p.bool('quiet')) process.stdout.write(`${r.name}\n`);
  return 0;
}
