/** lcctl get: kubectl's tables, -o json|yaml|wide|name, selectors and --watch for pods and nodes. */
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError, kubeErrorLine } from '../errors.js';
import { findCliKind, unknownKind, type CliKind } from '../kinds.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { podTable, nodeTable, type Table, type TableOptions } from '../output/kube-tables.js';
import type { Event } from '../../api/schema/event.js';
import type { PriorityClass } from '../../api/schema/priority-class.js';
import { eventTable, priorityClassTable } from '../output/event-tables.js';
import { configMapTable, secretTable } from '../output/config-tables.js';
import type { ConfigMap, Secret } from '../../api/schema/config.js';
import { colorEnabled, paint, statusColor } from '../output/color.js';
import type { Deployment, ReplicaSet } from '../../api/schema/apps.js';
import { deploymentTable, replicaSetTable } from '../output/apps-tables.js';
import type { Job } from '../../api/schema/job.js';
import { jobTable } from '../jobs/table.js';
import { workflowTable } from '../workflows/tree.js';
import type { Workflow } from '../../api/schema/workflow.js';
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import { hpaTable } from '../hpa/table.js';
import { queueTable } from '../queues/table.js';
import { kubeAge } from '../output/durations.js';
import type { Queue } from '../../api/schema/queue.js';
import type { PodGroup } from '../../api/schema/pod-group.js';
import { podGroupTable } from '../queues/pod-group-table.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'get',
  usage: 'get KIND [NAME...] [OPTIONS]',
  summary: 'Display one or many objects: pods (po), nodes (no), events (ev) or priorityclasses (pc)',
  style: 'kubectl',
  flags: [
    { name: 'output', short: 'o', type: 'string', help: 'Output format: json, yaml, wide or name' },
    { name: 'namespace', short: 'n', type: 'string', help: 'Namespace', default: 'default' },
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'List across all namespaces' },
    { name: 'selector', short: 'l', type: 'string', help: 'Label selector, e.g. app=web,tier!=db' },
    { name: 'field-selector', type: 'string', help: 'Field selector, e.g. status.phase=Running,spec.nodeName=n1' },
    { name: 'watch', short: 'w', type: 'bool', help: 'After listing, watch for changes' },
    { name: 'no-headers', type: 'bool', help: "Don't print headers" },
    { name: 'show-labels', type: 'bool', help: 'Show labels as the last column' },
  ],
};

const formats = ['json', 'yaml', 'wide', 'name', 'table'];

/** Render objects of one kind as a table. */
export function tableFor(kind: CliKind, objs: ApiObject[], o: TableOptions, now: number): Table {
  if (kind.resource === 'events') return eventTable(objs as Event[], o, now);
  if (kind.resource === 'priorityclasses') return priorityClassTable(objs as PriorityClass[], o, now);
  if (kind.resource === 'configmaps') return configMapTable(objs as ConfigMap[], o, now);
  if (kind.resource === 'secrets') return secretTable(objs as Secret[], o, now);
  if (kind.resource === 'deployments') return deploymentTable(objs as Deployment[], o, now);
  if (kind.resource === 'replicasets') return replicaSetTable(objs as ReplicaSet[], o, now);
  if (kind.resource === 'jobs') return jobTable(objs as Job[], o, now);
  if (kind.resource === 'workflows') return workflowTable(objs as Workflow[], o, now);
  if (kind.resource === 'queues') return queueTable(objs as Queue[], o, now);
  if (kind.resource === 'podgroups') return podGroupTable(objs as PodGroup[], o, now);
  if (kind.resource === 'horizontalpodautoscalers') return hpaTable(objs as HorizontalPodAutoscaler[], o, now);
  if (kind.resource === 'pods') return podTable(objs as Pod[], o, now);
  if (kind.resource === 'nodes') return nodeTable(objs as Node[], o, now);
  // A kind without its own table: kubectl's default columns.
  return { header: [...(o.namespaces ? ['NAMESPACE'] : []), 'NAME', 'AGE'], rows: objs.map((x) => [...(o.namespaces ? [x.metadata.namespace ?? ''] : []), x.metadata.name, kubeAge(x.metadata.creationTimestamp, now)]) };
}

/** kubectl prints one object as itself and several (or a list request) as a List. */
export function asListOrObject(objs: ApiObject[], single: boolean): unknown {
  if (single && objs.length === 1) return objs[0];
  return { apiVersion: 'v1', kind: 'List', items: objs, metadata: { resourceVersion: '' } };
}

async function print(format: string, kind: CliKind, objs: ApiObject[], single: boolean, o: TableOptions & { headers: boolean }): Promise<void> {
  if (format === 'json') { process.stdout.write(`${JSON.stringify(asListOrObject(objs, single), null, 4)}\n`); return; }
  if (format === 'yaml') { const { toYaml } = await import('../output/yaml.js'); process.stdout.write(await toYaml(asListOrObject(objs, single))); return; }
  if (format === 'name') { process.stdout.write(objs.map((x) => `${kind.singular}/${x.metadata.name}\n`).join('')); return; }
  const t = tableFor(kind, objs, o, Date.now());
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
  if (first === undefined) throw new UsageError('you must specify the type of resource to get: pods (po), nodes (no), events (ev) or priorityclasses (pc)');
  if (first.includes('/')) {
    const kinds = new Set(args.map((a) => a.split('/')[0]!));
    if (kinds.size > 1 || args.some((a) => !a.includes('/'))) throw new UsageError('all KIND/NAME arguments must be of one kind');
    return { kindName: first.split('/')[0]!, names: args.map((a) => a.slice(a.indexOf('/') + 1)) };
  }
  return { kindName: first, names: rest };
}

async function watchChanges(client: HttpClient, kind: CliKind, ns: string | undefined, rv: string, p: Parsed, format: string, o: TableOptions & { headers: boolean }, names: string[], shown: boolean): Promise<number> {
  let headerShown = shown;
  const w = client.watch(kind.resource, ns, {
    resourceVersion: rv,
    labelSelector: p.str('selector'),
    fieldSelector: p.str('field-selector') ?? (names.length === 1 ? `metadata.name=${names[0]}` : undefined),
  }, (ev) => {
    if (names.length > 1 && !names.includes(ev.object.metadata.name)) return;
    void print(format, kind, [ev.object], true, { ...o, headers: o.headers && !headerShown });
    headerShown = true;
  });
  await w.done;
  return 0;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const { kindName, names } = kindAndNames(p.args);
  const kind = findCliKind(kindName);
  if (!kind) throw new UsageError(unknownKind(kindName));
  const format = p.str('output') ?? 'table';
  if (!formats.includes(format)) throw new UsageError(`unable to match a printer suitable for the output format "${format}", allowed formats are: json, name, wide, yaml`);
  const client = connect(p);
  const all = p.bool('all-namespaces');
  const ns = kind.namespaced && !all ? p.str('namespace') || 'default' : undefined;
  const o = { wide: format === 'wide', namespaces: kind.namespaced && all, labels: p.bool('show-labels'), headers: !p.bool('no-headers') };
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
  if (objs.length > 0) await print(format, kind, objs, names.length === 1, o);
  if (p.bool('watch')) return watchChanges(client, kind, ns, rv, p, format, o, names, objs.length > 0);
  return failed ? 1 : 0;
}
