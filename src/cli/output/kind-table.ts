/** A kind's `get` table as kubectl prints it: its columns (wide ones with -o wide), NAMESPACE with -A, LABELS with --show-labels. */
import type { ApiObject } from '../../api/meta.js';
import { defaultTable, type TableDefinition } from '../../api/printers/table.js';
import { labelText } from '../../api/printers/labels.js';

/** Column headers and cell rows of a table. */
export interface Table { header: string[]; rows: string[][] }

/** What the flags ask of a table. */
export interface TableOptions { wide: boolean; namespaces: boolean; labels: boolean }

/** The table of objs (of one kind) at time now; a kind without a table gets kubectl's NAME and AGE. */
export function kindTable<T extends ApiObject>(def: TableDefinition<T> | undefined, objs: readonly T[], o: TableOptions, now: number): Table {
  const d = def ?? (defaultTable as TableDefinition<T>);
  const columns = d.columns.filter((c) => o.wide || c.priority === 0);
  const labels = o.labels && d.labelsColumn !== false;
  const header = [...(o.namespaces ? ['NAMESPACE'] : []), ...columns.map((c) => c.name.toUpperCase()), ...(labels ? ['LABELS'] : [])];
  const rows = (d.order ? [...objs].sort((a, b) => d.order!(a, b)) : objs).map((x) => [
    ...(o.namespaces ? [x.metadata.namespace ?? 'default'] : []),
    ...columns.map((c) => c.cell(x, now)),
    ...(labels ? [labelText(x.metadata.labels)] : []),
  ]);
  return { header, rows };
}
