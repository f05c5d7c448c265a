/** lcctl push: push an image from a node to its registry. */
import type { ImagePushResult } from '../../api/image-transfer.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { ProgressView } from '../distribution/progress-view.js';
import { authHeaders, transfer } from '../distribution/transfer.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'push',
  usage: 'push [OPTIONS] NAME[:TAG]',
  summary: 'Upload an image to a registry',
  style: 'docker',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress verbose output' },
    { name: 'node', type: 'string', help: 'The node that holds the image (needed when several are connected)' },
  ],
  notes: 'Name the image for the registry first: lcctl tag busybox localhost:5000/lt/busybox:1',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl push" requires exactly 1 argument (got ${p.args.length})`);
  const ref = p.args[0]!;
  const q = new URLSearchParams({ ref });
  const node = p.str('node');
  if (node) q.set('node', node);
  const quiet = p.bool('quiet');
  const view = new ProgressView(process.stdout, process.stdout.isTTY === true);
  const client = connect(p);
  const done = await transfer(client, 'push', q, authHeaders(ref, client.config), (m) => { if (!quiet) view.update(m); });
  const r = done.push as ImagePushResult;
  if (quiet) process.stdout.write(`${r.name}\n`);
  return 0;
}
