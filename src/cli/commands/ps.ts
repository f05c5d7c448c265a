/** lcctl ps: list containers (one row per container of every pod in the namespace). */
import type { Pod } from '../../api/pod.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { UsageError } from '../errors.js';
import { psRows, parseFilters, type PsRow } from '../pods/ps-rows.js';
import { dockerStyle, renderTable } from '../output/table.js';
import { colorEnabled, paint, statusColor } from '../output/color.js';
import { isTemplate, renderTemplate } from '../output/template.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'ps',
  usage: 'ps [OPTIONS]',
  summary: 'List containers (by default the running ones in the namespace)',
  style: 'docker',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Only display container IDs' },
    { name: 'filter', short: 'f', type: 'list', help: 'Filter output: label=k[=v], name=x, status=running|exited|created|restarting|removing, id=, ancestor=' },
    { name: 'format', type: 'string', help: "Format output: 'table', 'json', or a template such as '{{.ID}} {{.Names}}'" },
    { name: 'no-trunc', type: 'bool', help: "Don't truncate output" },
    namespaceFlag,
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'List containers in every namespace' },
  ],
};

/** The table `lcctl ps` prints. */
export function psTable(rows: PsRow[], allNamespaces: boolean, color: boolean): string {
  const header = ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'];
  const body = rows.map((r) => [r.ID, r.Image, r.Command, r.RunningFor, r.Status, r.Ports, r.Names]);
  if (allNamespaces) { header.unshift('NAMESPACE'); body.forEach((b, i) => b.unshift(rows[i]!.Namespace)); }
  const statusCol = header.indexOf('STATUS');
  return renderTable(header, body, dockerStyle, color ? (text, _r, c) => {
    const col = c === statusCol ? statusColor(text) : undefined;
    return col ? paint(true, col, text) : text;
  } : undefined);
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length > 0) throw new UsageError(`"lcctl ps" accepts no arguments (got ${p.args[0]})`);
  const filters = parseFilters(p.list('filter'));
  const format = p.str('format') ?? 'table';
  if (format !== 'table' && format !== 'json' && !isTemplate(format)) throw new UsageError(`invalid --format "${format}": use table, json or a template such as '{{.ID}}'`);
  const client = connect(p);
  const all = p.bool('all-namespaces');
  const list = await client.list<Pod>('pods', all ? undefined : namespaceOf(p));
  const rows = psRows(list.items, { all: p.bool('all'), noTrunc: p.bool('no-trunc'), filters }, Date.now());
  let text: string;
  if (p.bool('quiet')) text = rows.map((r) => `${r.ID}\n`).join('');
  else if (format === 'json') text = rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  else if (isTemplate(format)) text = rows.map((r) => `${renderTemplate(format, r)}\n`).join('');
  else text = psTable(rows, all, colorEnabled());
  process.stdout.write(text);
  return 0;
}
