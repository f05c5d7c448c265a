/** lcctl rmi (also `image rm`): remove images from the nodes. */
import type { ImageRemoval } from '../../api/node-services.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { forEachRef } from '../pods/each.js';
import { imagesPath } from './images.js';
import { nodeFlag } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'rmi',
  usage: 'rmi [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Remove one or more images',
  style: 'docker',
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: 'Accepted for compatibility' },
    nodeFlag('Only from this node'),
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl rmi" requires at least 1 argument');
  const client = connect(p);
  const node = p.str('node');
  return forEachRef(p.args, async (ref) => {
    const res = await client.json<{ items: ImageRemoval[] }>('DELETE', `${imagesPath}/${encodeURIComponent(ref)}${node ? `?node=${encodeURIComponent(node)}` : ''}`);
    const lines = removalLines(ref, res.items);
    return lines.length > 0 ? lines.join('\n') : undefined;
  });
}

/**
 * Docker's rmi output over every node that removed REF: all "Untagged:" lines, then "Deleted:" lines
 * (image ID, then its layers) only for an image that went. A node too old to report says only which
 * names are left: Untagged REF (unless it is an ID), Deleted ID when none is.
 */
export function removalLines(ref: string, items: ImageRemoval[]): string[] {
  const untagged = new Set<string>();
  const deleted = new Set<string>();
  for (const i of items) {
    if (i.untagged === undefined && i.deleted === undefined) {
      if (!/^(sha256:)?[0-9a-f]{3,64}$/.test(ref)) untagged.add(ref);
      if (i.names.length === 0) deleted.add(i.id);
      continue;
    }
    for (const u of i.untagged ?? []) untagged.add(u);
    for (const d of i.deleted ?? []) deleted.add(d);
  }
  return [...[...untagged].map((u) => `Untagged: ${u}`), ...[...deleted].map((d) => `Deleted: ${d}`)];
}
