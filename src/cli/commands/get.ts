/** lcctl get: each kind's table (api/printers), -o json|yaml|wide|name, selectors and --watch. */
import type { ApiObject } from '../../api/meta.js';
import type { KindModule } from '../../api/kinds/module.js';
import { kindListText, resolveKind, unknownKindMessage } from '../../api/kinds/names.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { getUsers, isUsersArg } from '../auth/users.js';
import { UsageError, kubeErrorLine } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { kindTable, type TableOptions } from '../output/kind-table.js';
import type { TableDefinition } from '../../api/printers/table.js';
import { colorEnabled, paint, statusColor } from '../output/color.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'get',
  usage: 'get KIND [NAME...] [OPTIONS]',
  summary: 'Display one or many objects of a kind',
  style: 'kubectl',
  flags: [
    { name: 'output', short: 'o', type: 'string', help: 'Output format: json, yaml, wide or name' },
    namespaceFlag,
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'List across all namespaces' },
    { name: 'selector', short: 'l', type: 'string', help: 'Label selector, e.g. app=web,tier!=db' },
    { name: 'field-selector', type: 'string', help: 'Field selector, e.g. status.phase=Running,spec.nodeName=n1' },
    { name: 'watch', short: 'w', type: 'bool', help: 'After listing, watch for changes' },
    { name: 'no-headers', type: 'bool', help: "Don't print headers" },
    { name: 'show-labels', type: 'bool', help: 'Show labels as the last column' },
    { name: 'show-managed-fields', type: 'bool', help: 'Keep metadata.managedFields in -o json|yaml (hidden by default, as kubectl)' },
  ],
  notes: `Kinds (a plural, singular or short name, or KIND.GROUP): ${kindListText()}.`,
};

const formats = ['json', 'yaml', 'wide', 'name', 'table'];

/** kubectl prints one object as itself and several (or a list request) as a List. */
export function asListOrObject(objs: ApiObject[], single: boolean): unknown {
  if (single && objs.length === 1) return objs[0];
  return { apiVersion: 'v1', kind: 'List', items: objs, metadata: { resourceVersion: '' } };
}

/** kubectl hides server-side apply's bookkeeping from -o json|yaml unless asked: so does lcctl. */
export function withoutManagedFields(obj: ApiObject): ApiObject {
  if (obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _hidden, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The kind, and its table definition when a table is printed (loaded once, so watch events print in order). */
interface Shown { kind: KindModule; table?: TableDefinition | undefined }

async function print(format: string, { kind, table }: Shown, shown: ApiObject[], single: boolean, o: TableOptions & { headers: boolean; managedFields?: boolean }): Promise<void> {
  const objs = o.managedFields === true ? shown : shown.map(withoutManagedFields);
  if (format === 'json') { process.stdout.write(`${JSON.stringify(asListOrObject(objs, single), null, 4)}\n`); return; }
  if (format === 'yaml') { const { toYaml } = await import('../output/yaml.js'); process.stdout.write(await toYaml(asListOrObject(objs, single))); return; }
  if (format === 'name') { process.stdout.write(objs.map((x) => `${kind.qualifiedName}/${x.metadata.name}\n`).join('')); return; }
  const t = kindTable(table, objs, o, Date.now());
  const color = colorEnabled();
  const statusCol = t.header.indexOf('STATUS');
  const text = renderTable(t.header, t.rows, kubeStyle, color ? (s, _r, c) => {
    const col = c === statusCol ? statusColor(s) : undefined;
    return col ? paint(true, col, s) : s;
  } : undefined);
  process.stdout.write(o.headers ? text : text.slice(text.indexOf('\n') + 1));
}

/** Split "pod/name" arguments; all must be of one kind. */
function kindAndNames(args: string[]): { kindName: string; names: string[] } {
  const [first, ...rest] = args;
  if (first === undefined) throw new UsageError(`you must specify the type of resource to get: ${kindListText()}`);
  if (first.includes('/')) {
    const kinds = new Set(args.map((a) => a.split('/')[0]!));
    if (kinds.size > 1 || args.some((a) => !a.includes('/'))) throw new UsageError('all KIND/NAME arguments must be of one kind');
    return { kindName: first.split('/')[0]!, names: args.map((a) => a.slice(a.indexOf('/') + 1)) };
  }
  return { kindName: first, names: rest };
}

async function watchChanges(client: HttpClient, shown: Shown, ns: string | undefined, rv: string, p: Parsed, format: string, o: TableOptions & { headers: boolean; managedFields?: boolean }, names: string[], printed: boolean): Promise<number> {
  let headerShown = printed;
  const w = client.watch(shown.kind.resource, ns, {
    resourceVersion: rv,
    labelSelector: p.str('selector'),
    fieldSelector: p.str('field-selector') ?? (names.length === 1 ? `metadata.name=${names[0]}` : undefined),
  }, (ev) => {
    if (names.length > 1 && !names.includes(ev.object.metadata.name)) return;
    void print(format, shown, [ev.object], true, { ...o, headers: o.headers && !headerShown });
    headerShown = true;
  });
  await w.done;
  return 0;
}

/** Run the verb; resolves with the exit status. "svc,endpointslices" prints each kind's table in turn, as kubectl. */
export async function run(p: Parsed): Promise<number> {
  if (isUsersArg(p.args[0])) return getUsers(p);
  const { kindName, names } = kindAndNames(p.args);
  if (!kindName.includes(',')) return getKind(p, kindName, names);
  const kindNames = kindName.split(',').filter((k) => k !== '');
  if (p.bool('watch')) throw new UsageError('you may only specify a single resource type with --watch');
  for (const k of kindNames) if (!resolveKind(k)) throw new UsageError(unknownKindMessage(k));
  let status = 0;
  for (const [i, k] of kindNames.entries()) {
    if (i > 0) process.stdout.write('\n');
    status = Math.max(status, await getKind(p, k, names));
  }
  return status;
}

/** get of one kind. */
async function getKind(p: Parsed, kindName: string, names: string[]): Promise<number> {
  const kind = resolveKind(kindName);
  if (!kind) throw new UsageError(unknownKindMessage(kindName));
  const format = p.str('output') ?? 'table';
  if (!formats.includes(format)) throw new UsageError(`unable to match a printer suitable for the output format "${format}", allowed formats are: json, name, wide, yaml`);
  const client = connect(p);
  const all = p.bool('all-namespaces');
  const ns = kind.namespaced && !all ? p.str('namespace') || 'default' : undefined;
  const o = { wide: format === 'wide', namespaces: kind.namespaced && all, labels: p.bool('show-labels'), headers: !p.bool('no-headers'), managedFields: p.bool('show-managed-fields') };
  let objs: ApiObject[] = [];
  let failed = false;
  let rv = '0';
  if (names.length > 0) {
    const results = await Promise.allSettled(names.map((n) => client.get<ApiObject>(kind.resource, n, ns ?? (kind.namespaced ? 'default' : undefined))));
    for (const r of results) {
      if (r.status === 'fulfilled') objs.push(r.value);
      else { failed = true; process.stderr.write(`${kubeErrorLine(r.reason)}\n`); }
    }
    rv = objs.map((x) => Number(x.metadata.resourceVersion ?? 0)).reduce((a, b) => Math.min(a, b), Number.MAX_SAFE_INTEGER).toString();
  } else {
    const list = await client.list<ApiObject>(kind.resource, ns, { labelSelector: p.str('selector'), fieldSelector: p.str('field-selector') });
    objs = list.items.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    rv = list.metadata.resourceVersion;
    if (objs.length === 0) {
      process.stderr.write(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
      if (!p.bool('watch')) return 0;
    }
  }
  const shown: Shown = { kind, table: format === 'table' || format === 'wide' ? await kind.table?.() : undefined };
  if (objs.length > 0) await print(format, shown, objs, names.length === 1, o);
  if (p.bool('watch')) return watchChanges(client, shown, ns, rv, p, format, o, names, objs.length > 0);
  return failed ? 1 : 0;
}
