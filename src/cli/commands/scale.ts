/** lcctl scale deployment/NAME|statefulset/NAME --replicas=N: set a Deployment's (or StatefulSet's) desired replicas. */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { deploymentTarget } from '../deployments/target.js';
import { updateDeployment } from '../deployments/mutate.js';
import { workloadTarget } from '../workloads/target.js';
import { scaleStatefulSet } from '../workloads/rollout.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'scale',
  usage: 'scale deployment/NAME|statefulset/NAME --replicas=COUNT',
  summary: 'Set a new size for a deployment or statefulset',
  style: 'kubectl',
  flags: [
    { name: 'replicas', type: 'int', help: 'The new desired number of replicas' },
    { name: 'current-replicas', type: 'int', help: 'Only scale if the current size is this' },
    namespaceFlag,
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const replicas = p.int('replicas');
  if (replicas === undefined || replicas < 0) throw new UsageError('--replicas=COUNT is required and must be 0 or more');
  const current = p.int('current-replicas');
  const w = workloadTarget(p.args, 'scale');
  if (w?.resource === 'statefulsets') {
    process.stdout.write(`${await scaleStatefulSet(connect(p), p.str('namespace') || 'default', w.name, replicas, current)}\n`);
    return 0;
  }
  const { name } = deploymentTarget(p.args, 'scale');
  await updateDeployment(connect(p), p.str('namespace') || 'default', name, (d) => {
    if (current !== undefined && (d.spec.replicas ?? 1) !== current) throw new UsageError(`Expected replicas to be ${current}, was ${d.spec.replicas ?? 1}`);
    d.spec.replicas = replicas;
  });
  process.stdout.write(`deployment.apps/${name} scaled\n`);
  return 0;
}
