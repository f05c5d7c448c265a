/**
 * Server-side tables (meta.k8s.io/v1 Table), what kubectl get asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: the kind's columns as its module declares
 * them (api/printers: kube-apiserver's column definitions) and one row per object, carrying the
 * object's metadata (includeObject=Metadata, the default), the whole object (Object) or nothing (None).
 */
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import { ApiError } from '../../api/errors.js';
import type { KindModule } from '../../api/kinds/module.js';
import { defaultTable, type TableDefinition } from '../../api/printers/table.js';

/** True when the Accept header's first acceptable type is a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split('=') as [string, string]));
    if (p.get('as') === 'Table') {
      if (type === 'application/json' && p.get('g') === 'meta.k8s.io' && (p.get('v') === 'v1' || p.get('v') === 'v1beta1')) return true;
      continue;
    }
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return false;
  }
  return false;
}

type IncludeObject = 'None' | 'Metadata' | 'Object';

function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw new ApiError('BadRequest', `includeObject: expected None, Metadata or Object, got ${JSON.stringify(v)}`);
  return v;
}

/** The kind's table definition (its module's, loaded on first use; kubectl's NAME and AGE otherwise). */
async function definitionOf(kind: KindModule): Promise<TableDefinition> {
  return (await kind.table?.()) ?? defaultTable as TableDefinition;
}

/** A Table of these objects; withColumns false leaves the column definitions out (later watch events). */
function tableFrom(kind: KindModule, def: TableDefinition, items: ApiObject[], metadata: Record<string, unknown>, include: IncludeObject, now: number, withColumns = true): unknown {
  const rowObject = (o: ApiObject): unknown => include === 'None' ? undefined
    : include === 'Object' ? { ...o, kind: kind.kind, apiVersion: kind.apiVersion }
      : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    ...(withColumns ? { columnDefinitions: def.columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: '', priority: c.priority })) } : { columnDefinitions: null }),
    rows: items.map((o) => {
      const object = rowObject(o);
      return { cells: def.columns.map((c) => c.cell(o, now)), ...(object === undefined ? {} : { object }) };
    }),
  };
}

/** The Table of one object or a list of them (a list keeps its resourceVersion and continue token). */
export async function tableOf(kind: KindModule, body: ApiObject | { metadata?: Record<string, unknown>; items: ApiObject[] }, query: URLSearchParams, now = Date.now()): Promise<unknown> {
  const def = await definitionOf(kind);
  const include = includeObjectOf(query);
  const items = 'items' in body ? [...body.items] : [body];
  if (def.order !== undefined) items.sort(def.order);
  const metadata = 'items' in body ? { ...(body.metadata ?? {}) } : { resourceVersion: body.metadata.resourceVersion };
  return tableFrom(kind, def, items, metadata, include, now);
}

/**
 * The line encoder of a table watch: each event's object is a one-row Table, the first with the
 * column definitions (kube-apiserver sends them once, and kubectl keeps the first ones).
 */
export async function tableWatchEncoder(kind: KindModule, query: URLSearchParams): Promise<(event: WatchEvent<ApiObject>) => string> {
  const def = await definitionOf(kind);
  const include = includeObjectOf(query);
  let first = true;
  return (event) => {
    if (event.type === 'ERROR' || event.type === 'BOOKMARK') return JSON.stringify(event) + '\n';
    const object = tableFrom(kind, def, [event.object], { resourceVersion: event.object.metadata.resourceVersion }, include, Date.now(), first);
    first = false;
    return JSON.stringify({ type: event.type, object }) + '\n';
  };
}
