/** lcctl tag: give an image on a node another name. */
import type { ImageSummary } from '../../api/node-services.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { imagesPath } from './images.js';
import { nodeFlag, withNode } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'tag',
  usage: 'tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  style: 'docker',
  flags: [nodeFlag('The node that holds the image (needed when several are connected)')],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 2) throw new UsageError(`"lcctl tag" requires exactly 2 arguments (got ${p.args.length})`);
  const [source, target] = p.args as [string, string];
  const q = new URLSearchParams({ source, target });
  withNode(p, q);
  await connect(p).json<{ image: ImageSummary }>('POST', `${imagesPath}/tag?${q.toString()}`);
  return 0;
}
