/** lcctl describe KIND [NAME...]: a kind's describe view (api/printers), after fetching what it asks for. */
import type { ApiObject } from '../../api/meta.js';
import { kindModules } from '../../api/kinds/index.js';
import { kindListText, listText, resolveKind, unknownKindMessage } from '../../api/kinds/names.js';
import { describeText, type Describer } from '../../api/printers/describe.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError, kubeErrorLine } from '../errors.js';

const describable = kindModules.filter((k) => k.describe !== undefined);

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'describe',
  usage: 'describe KIND [NAME...] [OPTIONS]',
  summary: `Show details of objects (all of the kind when no name is given): ${kindListText(describable)}`,
  style: 'kubectl',
  flags: [
    namespaceFlag,
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'Across all namespaces (without names)' },
    { name: 'selector', short: 'l', type: 'string', help: 'Label selector (without names)' },
  ],
};

/** The lists a describer asked for about one object (a failed optional one reads as empty). */
async function related(client: HttpClient, d: Describer, obj: ApiObject): Promise<Record<string, ApiObject[]>> {
  const out: Record<string, ApiObject[]> = {};
  for (const [name, q] of Object.entries(d.related?.(obj) ?? {})) {
    const list = client.list<ApiObject>(q.resource, q.namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
    out[name] = (await (q.optional ? list.catch(() => ({ items: [] })) : list)).items;
  }
  return out;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  let [kindName, ...names] = p.args;
  if (kindName === undefined) throw new UsageError('you must specify the type of resource to describe, e.g. pod, node, deployment, job or queue');
  if (kindName.includes('/')) { names = [kindName.slice(kindName.indexOf('/') + 1), ...names]; kindName = kindName.slice(0, kindName.indexOf('/')); }
  const kind = resolveKind(kindName);
  if (!kind) throw new UsageError(unknownKindMessage(kindName));
  if (!kind.describe) throw new UsageError(`lcctl describe shows ${listText(describable.map((k) => k.resource))}; for ${kind.resource} use lcctl get ${kind.resource} -o yaml`);
  const describer = await kind.describe();
  const client = connect(p);
  const ns = kind.namespaced ? (p.bool('all-namespaces') && names.length === 0 ? undefined : p.str('namespace') || 'default') : undefined;
  let objs: ApiObject[] = [];
  let failed = false;
  if (names.length === 0) {
    objs = (await client.list<ApiObject>(kind.resource, ns, { labelSelector: p.str('selector') })).items;
    if (objs.length === 0) process.stderr.write(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
  } else {
    for (const r of await Promise.allSettled(names.map((n) => client.get<ApiObject>(kind.resource, n, ns)))) {
      if (r.status === 'fulfilled') objs.push(r.value); else { failed = true; process.stderr.write(`${kubeErrorLine(r.reason)}\n`); }
    }
  }
  const texts: string[] = [];
  for (const o of objs) texts.push(describeText(describer, o, { related: await related(client, describer, o), now: Date.now() }));
  process.stdout.write(texts.join('\n\n'));
  return failed ? 1 : 0;
}
