/**
 * lcctl autoscale deployment/NAME --min=N --max=N --cpu-percent=P (kubectl's form), also
 * `autoscale deployment NAME ...` and `autoscale create --target=deployment/NAME ...`: create a
 * HorizontalPodAutoscaler for a Deployment or ReplicaSet.
 */
import type { HorizontalPodAutoscaler } from '../../api/schema/hpa.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveKind } from '../../api/kinds/names.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'autoscale',
  usage: 'autoscale deployment/NAME --max=N [--min=N] [--cpu-percent=P] [--name=HPA]',
  summary: 'Create a HorizontalPodAutoscaler that sets a deployment\'s replicas from its pods\' CPU use',
  style: 'kubectl',
  flags: [
    { name: 'min', type: 'int', help: 'Lower limit of the number of pods (default 1)' },
    { name: 'max', type: 'int', help: 'Upper limit of the number of pods (required)' },
    { name: 'cpu-percent', type: 'int', help: 'Target average CPU utilization, percent of the pods\' cpu request (default 80)' },
    { name: 'name', type: 'string', help: 'Name of the autoscaler (default: the target\'s name)' },
    { name: 'target', type: 'string', help: 'With "autoscale create": the object to scale, deployment/NAME' },
    namespaceFlag,
    { name: 'dry-run', type: 'string', help: 'none, client or server: only print what would be created' },
  ],
  notes: 'Also: lcctl autoscale create --target=deployment/NAME --min=N --max=N --cpu-percent=P\nThe pods need resources.requests.cpu: utilization is measured against it.',
};

const kindOf: Record<string, { kind: string; apiVersion: string }> = {
  deployments: { kind: 'Deployment', apiVersion: 'apps/v1' },
  replicasets: { kind: 'ReplicaSet', apiVersion: 'apps/v1' },
};

/** "deployment/NAME" or "deployment NAME" to the resource and name to scale. */
export function autoscaleTarget(args: string[]): { resource: string; name: string } {
  const [first, second] = args;
  if (first === undefined) throw new UsageError('"lcctl autoscale" requires a deployment: lcctl autoscale deployment/NAME --max=N');
  const slash = first.indexOf('/');
  const kindName = slash >= 0 ? first.slice(0, slash) : first;
  const name = slash >= 0 ? first.slice(slash + 1) : second;
  const kind = resolveKind(kindName);
  if (!kind || !kindOf[kind.resource]) throw new UsageError(`cannot autoscale "${kindName}": lcctl autoscale works on deployments and replicasets (deployment/NAME)`);
  if (!name) throw new UsageError(`"lcctl autoscale" requires the ${kind.kind}'s name: ${kindName}/NAME`);
  return { resource: kind.resource, name };
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  let targetArgs = p.args;
  if (p.args[0] === 'create') {
    const t = p.str('target');
    if (!t) throw new UsageError('"lcctl autoscale create" requires --target=deployment/NAME');
    targetArgs = [t];
  } else if (p.str('target')) {
    throw new UsageError('--target goes with "lcctl autoscale create"; otherwise name the object: lcctl autoscale deployment/NAME');
  }
  const { resource, name } = autoscaleTarget(targetArgs);
  const max = p.int('max');
  if (max === undefined || max < 1) throw new UsageError('--max=N is required and must be 1 or more');
  const min = p.int('min');
  if (min !== undefined && (min < 1 || min > max)) throw new UsageError(`--min=${min} must be at least 1 and at most --max (${max})`);
  const cpu = p.int('cpu-percent');
  if (cpu !== undefined && cpu < 1) throw new UsageError('--cpu-percent must be 1 or more');
  const ns = p.str('namespace') || 'default';
  const client = connect(p);
  // As kubectl: refuse to autoscale something that is not there (the API would accept the reference).
  await client.get(resource, name, ns);
  const k = kindOf[resource]!;
  const hpaName = p.str('name') || name;
  const h: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: hpaName, namespace: ns },
    spec: {
      scaleTargetRef: { apiVersion: k.apiVersion, kind: k.kind, name }, maxReplicas: max,
      ...(min !== undefined ? { minReplicas: min } : {}),
      ...(cpu !== undefined ? { metrics: [{ type: 'Resource' as const, resource: { name: 'cpu', target: { type: 'Utilization' as const, averageUtilization: cpu } } }] } : {}),
    },
  };
  const dry = p.str('dry-run');
  await client.create('horizontalpodautoscalers', h, { dryRun: dry === 'server' || dry === 'client' });
  process.stdout.write(`horizontalpodautoscaler.autoscaling/${hpaName} autoscaled${dry && dry !== 'none' ? ` (${dry} dry run)` : ''}\n`);
  return 0;
}
