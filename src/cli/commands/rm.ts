/** lcctl rm: remove containers (delete their pods and wait until they are gone). */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { resolveTarget } from '../pods/resolve.js';
import { deletePod, isRunning } from '../pods/ops.js';
import { forEachRef } from '../pods/each.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'rm',
  usage: 'rm [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Remove one or more containers',
  style: 'docker',
  flags: [
    { name: 'force', short: 'f', type: 'bool', help: 'Force the removal of a running container (kills it at once)' },
    { name: 'volumes', short: 'v', type: 'bool', help: 'Accepted for compatibility (emptyDir volumes always go with the pod)' },
    namespaceFlag,
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl rm" requires at least 1 argument');
  const client = connect(p);
  const ns = namespaceOf(p);
  const force = p.bool('force');
  return forEachRef(p.args, async (ref) => {
    const { pod } = await resolveTarget(client, ns, ref);
    if (!force && isRunning(pod)) {
      throw new CliError(`cannot remove running container ${ref}: stop the container before removing or force remove`);
    }
    await deletePod(client, ns, pod.metadata.name, force ? 0 : undefined, true);
    return ref;
  });
}
