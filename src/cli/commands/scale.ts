/** lcctl scale deployment/NAME --replicas=N: set a Deployment's (or ReplicaSet's) desired replicas. */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { deploymentTarget } from '../deployments/target.js';
import { updateDeployment } from '../deployments/mutate.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'scale',
  usage: 'scale deployment/NAME --replicas=COUNT',
  summary: 'Set a new size for a deployment',
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
  const { name } = deploymentTarget(p.args, 'scale');
  const current = p.int('current-replicas');
  await updateDeployment(connect(p), p.str('namespace') || 'default', name, (d) => {
    if (current !== undefined && (d.spec.replicas ?? 1) !== current) throw new UsageError(`Expected replicas to be ${current}, was ${d.spec.replicas ?? 1}`);
    d.spec.replicas = replicas;
  });
  process.stdout.write(`deployment.apps/${name} scaled\n`);
  return 0;
}
