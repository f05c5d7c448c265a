/** lcctl describe pod|node|deployment|job|queue|hpa [NAME...]: kubectl-like detail views. */
import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import type { Event } from '../../api/schema/event.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError, kubeErrorLine } from '../errors.js';
import { findCliKind, unknownKind } from '../kinds.js';
import { describePod } from '../describe/pod.js';
import { describeNode } from '../describe/node.js';
import { describeDeployments } from '../deployments/describe.js';
import { describeJobs } from '../jobs/describe.js';
import { describeHpas } from '../hpa/describe.js';
import { describeQueues } from '../queues/describe.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'describe',
  usage: 'describe KIND [NAME...] [OPTIONS]',
  summary: 'Show details of pods, nodes, deployments, jobs, queues or autoscalers (all of the kind when no name is given)',
  style: 'kubectl',
  flags: [
    { name: 'namespace', short: 'n', type: 'string', help: 'Namespace', default: 'default' },
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'Across all namespaces (without names)' },
    { name: 'selector', short: 'l', type: 'string', help: 'Label selector (without names)' },
  ],
};

/** The events about one pod (same uid, so a re-created pod does not inherit its predecessor's). */
async function podEvents(client: HttpClient, pod: Pod): Promise<Event[]> {
  const ns = pod.metadata.namespace ?? 'default';
  const list = await client.list<Event>('events', ns, { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${pod.metadata.name}` });
  return list.items.filter((e) => !e.involvedObject.uid || e.involvedObject.uid === pod.metadata.uid);
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  let [kindName, ...names] = p.args;
  if (kindName === undefined) throw new UsageError('you must specify the type of resource to describe, e.g. pod, node, deployment, job or queue');
  if (kindName.includes('/')) { names = [kindName.slice(kindName.indexOf('/') + 1), ...names]; kindName = kindName.slice(0, kindName.indexOf('/')); }
  const kind = findCliKind(kindName);
  if (!kind) throw new UsageError(unknownKind(kindName));
  if (kind.resource === 'deployments') return describeDeployments(p, names);
  if (kind.resource === 'jobs') return describeJobs(p, names);
  if (kind.resource === 'horizontalpodautoscalers') return describeHpas(p, names);
  if (kind.resource === 'queues') return describeQueues(p, names);
  if (kind.resource !== 'pods' && kind.resource !== 'nodes') throw new UsageError(`lcctl describe shows pods, nodes, deployments, jobs, queues and horizontalpodautoscalers; for ${kind.resource} use lcctl get ${kind.resource} -o yaml`);
  const client = connect(p);
  const ns = kind.namespaced ? (p.bool('all-namespaces') && names.length === 0 ? undefined : p.str('namespace') || 'default') : undefined;
  let objs: (Pod | Node)[] = [];
  let failed = false;
  if (names.length === 0) {
    objs = (await client.list<Pod | Node>(kind.resource, ns, { labelSelector: p.str('selector') })).items;
    if (objs.length === 0) process.stderr.write(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
  } else {
    for (const r of await Promise.allSettled(names.map((n) => client.get<Pod | Node>(kind.resource, n, ns)))) {
      if (r.status === 'fulfilled') objs.push(r.value); else { failed = true; process.stderr.write(`${kubeErrorLine(r.reason)}\n`); }
    }
  }
  const texts: string[] = [];
  for (const o of objs) {
    if (kind.resource === 'pods') texts.push(describePod(o as Pod, await podEvents(client, o as Pod)));
    else {
      const pods = await client.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${o.metadata.name}` });
      texts.push(describeNode(o as Node, pods.items, Date.now()));
    }
  }
  process.stdout.write(texts.join('\n\n'));
  return failed ? 1 : 0;
}
