/**
 * lcctl expose deployment|replicaset|pod NAME --port P [--target-port T] [--type ClusterIP|NodePort]
 * [--name N] [--protocol TCP|UDP] [--selector k=v,...]: create a Service for a workload, as kubectl
 * expose does (the selector is the workload's matchLabels, or the pod's labels).
 */
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { LabelSelector } from '../../api/schema/pod.js';
import type { Service, ServicePort } from '../../api/schema/service.js';
import { resolveKind } from '../../api/kinds/names.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'expose',
  usage: 'expose (deployment|replicaset|pod) NAME --port=P [--target-port=T] [--type=ClusterIP|NodePort] [--name=N]',
  summary: 'Expose a deployment, replicaset or pod as a new Service',
  style: 'kubectl',
  flags: [
    { name: 'port', type: 'string', help: 'The port the Service serves on (required unless the pod template declares one)' },
    { name: 'target-port', type: 'string', help: 'The container port (a number or a port name) traffic goes to (default: --port)' },
    { name: 'type', type: 'string', help: 'ClusterIP (default) or NodePort (also reachable on every node at a port of 30000-32767)' },
    { name: 'name', type: 'string', help: 'The Service\'s name (default: the object\'s)' },
    { name: 'protocol', type: 'string', help: 'TCP (default) or UDP' },
    { name: 'selector', type: 'string', help: 'Label selector for the Service\'s pods, k=v[,k=v] (default: the object\'s)' },
    { name: 'cluster-ip', type: 'string', help: 'A cluster IP to request, or None for a headless Service' },
    { name: 'session-affinity', type: 'string', help: 'None (default) or ClientIP' },
    namespaceFlag,
    { name: 'dry-run', type: 'string', help: 'none, client or server: only print what would be created' },
  ],
  notes: 'Then: lcctl get svc NAME -o wide, lcctl describe svc NAME (lists the endpoints).',
};

const exposable = ['deployments', 'replicasets', 'pods'];

/** The pods' labels a workload's selector names, as a Service's map selector; why not when it cannot be one. */
export function selectorOf(resource: string, obj: ApiObject): Record<string, string> {
  if (resource === 'pods') {
    const labels = (obj as Pod).metadata.labels ?? {};
    if (Object.keys(labels).length === 0) throw new UsageError(`the pod ${obj.metadata.name} has no labels: a Service selects pods by label; give --selector or label the pod (lcctl label pod ${obj.metadata.name} app=NAME)`);
    return { ...labels };
  }
  const sel = (obj as ApiObject & { spec: { selector: LabelSelector } }).spec.selector;
  if ((sel.matchExpressions ?? []).length > 0) throw new UsageError(`couldn't convert the selector of ${obj.metadata.name} to a Service selector: it has matchExpressions, which a Service cannot express; give --selector k=v`);
  if (Object.keys(sel.matchLabels ?? {}).length === 0) throw new UsageError(`the selector of ${obj.metadata.name} has no matchLabels; give --selector k=v`);
  return { ...sel.matchLabels };
}

/** "k=v,k2=v2" to a map; throws a usage error naming the flag. */
export function parseMapSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').filter((x) => x.trim() !== '')) {
    const m = /^\s*([^=!\s]+)\s*==?\s*([^=\s]*)\s*$/.exec(part);
    if (!m) throw new UsageError(`--selector: ${JSON.stringify(part)} is not k=v: a Service selects by equality only`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The first containerPort of the template, as kubectl's default --port. */
function templatePort(resource: string, obj: ApiObject): number | undefined {
  const spec = resource === 'pods' ? (obj as Pod).spec : (obj as ApiObject & { spec: { template?: { spec?: Pod['spec'] } } }).spec.template?.spec;
  return spec?.containers.flatMap((c) => c.ports ?? [])[0]?.containerPort;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [first, second] = p.args;
  if (first === undefined) throw new UsageError('"lcctl expose" requires a deployment, replicaset or pod: lcctl expose deployment NAME --port=80');
  const slash = first.indexOf('/');
  const kindName = slash >= 0 ? first.slice(0, slash) : first;
  const name = slash >= 0 ? first.slice(slash + 1) : second;
  const kind = resolveKind(kindName);
  if (!kind || !exposable.includes(kind.resource)) throw new UsageError(`cannot expose a ${JSON.stringify(kindName)}: lcctl expose works on deployments, replicasets and pods`);
  if (!name) throw new UsageError(`"lcctl expose" requires the ${kind.kind}'s name: lcctl expose ${kindName} NAME --port=80`);
  const type = p.str('type') ?? 'ClusterIP';
  if (type !== 'ClusterIP' && type !== 'NodePort') throw new UsageError(`--type: unsupported type "${type}": use ClusterIP or NodePort`);
  const protocol = p.str('protocol') ?? 'TCP';
  if (protocol !== 'TCP' && protocol !== 'UDP') throw new UsageError(`--protocol: unsupported protocol "${protocol}": use TCP or UDP`);
  const affinity = p.str('session-affinity') ?? 'None';
  if (affinity !== 'None' && affinity !== 'ClientIP') throw new UsageError(`--session-affinity: "${affinity}": use None or ClientIP`);
  const ns = p.str('namespace') || 'default';
  const client = connect(p);
  const obj = await client.get<ApiObject>(kind.resource, name, ns);
  const selector = p.str('selector') ? parseMapSelector(p.str('selector')!) : selectorOf(kind.resource, obj);
  const portText = p.str('port') ?? String(templatePort(kind.resource, obj) ?? '');
  const port = Number(portText);
  if (!/^[0-9]+$/.test(portText) || port < 1 || port > 65535) {
    throw new UsageError(portText === '' ? `couldn't find a port via --port or the ${kind.kind}'s containerPorts: give --port=P` : `--port: ${JSON.stringify(portText)} is not a port number 1-65535`);
  }
  const target = p.str('target-port');
  const sp: ServicePort = { port, protocol };
  if (target !== undefined) sp.targetPort = /^[0-9]+$/.test(target) ? Number(target) : target;
  const svcName = p.str('name') || name;
  const svc: Service = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: svcName, namespace: ns, ...(Object.keys(obj.metadata.labels ?? {}).length > 0 ? { labels: { ...obj.metadata.labels } } : {}) },
    spec: { type, selector, ports: [sp], sessionAffinity: affinity, ...(p.str('cluster-ip') ? { clusterIP: p.str('cluster-ip') } : {}) },
  };
  const dry = p.str('dry-run');
  await client.create('services', svc, { dryRun: dry === 'server' || dry === 'client' });
  process.stdout.write(`service/${svcName} exposed${dry && dry !== 'none' ? ` (${dry} dry run)` : ''}\n`);
  return 0;
}
