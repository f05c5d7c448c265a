/** lcctl images (also `image ls`): list the images the nodes hold. */
import type { ImageSummary } from '../../api/node-services.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { imageRows } from '../images/rows.js';
import { dockerStyle, renderTable } from '../output/table.js';
import { isTemplate, renderTemplate } from '../output/template.js';
import { nodeFlag } from '../images/node-option.js';

/** Path of the image API. */
export const imagesPath = '/apis/lantern.dev/v1/images';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'images',
  usage: 'images [OPTIONS]',
  summary: 'List images',
  style: 'docker',
  flags: [
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only show image IDs' },
    { name: 'format', type: 'string', help: "Format output: 'table', 'json', or a template such as '{{.Repository}}:{{.Tag}}'" },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    { name: 'all', short: 'a', type: 'bool', help: 'Accepted for compatibility' },
    nodeFlag('Only the images of this node'),
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const format = p.str('format') ?? 'table';
  if (format !== 'table' && format !== 'json' && !isTemplate(format)) throw new UsageError(`invalid --format "${format}": use table, json or a template`);
  const client = connect(p);
  const node = p.str('node');
  const res = await client.json<{ items: ImageSummary[] }>('GET', imagesPath + (node ? `?node=${encodeURIComponent(node)}` : ''));
  let rows = imageRows(res.items, Date.now(), p.bool('no-trunc'));
  if (p.args[0] !== undefined) {
    const want = p.args[0];
    rows = rows.filter((r) => r.Repository === want || `${r.Repository}:${r.Tag}` === want);
  }
  let text: string;
  if (p.bool('quiet')) text = [...new Set(rows.map((r) => r.ID))].map((id) => `${id}\n`).join('');
  else if (format === 'json') text = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  else if (isTemplate(format)) text = rows.map((r) => `${renderTemplate(format, r)}\n`).join('');
  else {
    const multiNode = new Set(res.items.map((i) => i.node)).size > 1;
    const header = ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'];
    if (multiNode) header.push('NODES');
    text = renderTable(header, rows.map((r) => [r.Repository, r.Tag, r.ID, r.CreatedSince, r.Size, ...(multiNode ? [r.Nodes] : [])]), dockerStyle);
  }
  process.stdout.write(text);
  return 0;
}
