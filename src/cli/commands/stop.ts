/** lcctl stop: stop containers (the pod stays; its run-state annotation keeps it down). */
import type { CommandSpec, Parsed } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveTarget } from '../pods/resolve.js';
import { isRunning, requestStop, waitStopped, requestedGrace, stopFlags } from '../pods/ops.js';
import { forEachRef } from '../pods/each.js';
import { Annotations } from '../../api/annotations.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'stop',
  usage: 'stop [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Stop one or more running containers (SIGTERM, then SIGKILL after the grace period)',
  style: 'docker',
  flags: [...stopFlags],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl stop" requires at least 1 argument');
  const grace = requestedGrace(p);
  const client = connect(p);
  const ns = namespaceOf(p);
  return forEachRef(p.args, async (ref) => {
    const { pod } = await resolveTarget(client, ns, ref);
    if (!isRunning(pod) && pod.metadata.annotations?.[Annotations.runState] === 'stopped') return ref;
    const g = grace ?? pod.spec.terminationGracePeriodSeconds ?? 10;
    const updated = await requestStop(client, pod, g);
    await waitStopped(client, updated, g);
    return ref;
  });
}
