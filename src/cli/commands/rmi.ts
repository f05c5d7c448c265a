/** lcctl rmi (also `image rm`): remove images from the nodes. */
import type { ImageSummary } from '../../api/node-services.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { forEachRef } from '../pods/each.js';
import { imagesPath } from './images.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'rmi',
  usage: 'rmi [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Remove one or more images',
  style: 'docker',
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: 'Accepted for compatibility' },
    { name: 'node', type: 'string', help: 'Only from this node' },
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl rmi" requires at least 1 argument');
  const client = connect(p);
  const node = p.str('node');
  return forEachRef(p.args, async (ref) => {
    const res = await client.json<{ items: ImageSummary[] }>('DELETE', `${imagesPath}/${encodeURIComponent(ref)}${node ? `?node=${encodeURIComponent(node)}` : ''}`);
    const lines: string[] = [];
    if (!/^(sha256:)?[0-9a-f]{3,64}$/.test(ref)) lines.push(`Untagged: ${ref}`);
    for (const id of new Set(res.items.map((i) => i.id))) lines.push(`Deleted: ${id}`);
    return lines.length > 0 ? lines.join('\n') : undefined;
  });
}
