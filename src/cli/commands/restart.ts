/** lcctl restart: stop (with the grace period) and start again. */
import type { CommandSpec, Parsed } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveTarget } from '../pods/resolve.js';
import { requestStart, requestStop, waitStarted, waitStopped, requestedGrace, stopFlags } from '../pods/ops.js';
import { forEachRef } from '../pods/each.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'restart',
  usage: 'restart [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Restart one or more containers',
  style: 'docker',
  flags: [...stopFlags],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl restart" requires at least 1 argument');
  const grace = requestedGrace(p);
  const client = connect(p);
  const ns = namespaceOf(p);
  return forEachRef(p.args, async (ref) => {
    const { pod } = await resolveTarget(client, ns, ref);
    const g = grace ?? pod.spec.terminationGracePeriodSeconds ?? 10;
    const stopping = await requestStop(client, pod, g);
    const stopped = await waitStopped(client, stopping, g);
    const starting = await requestStart(client, stopped);
    await waitStarted(client, stopped, starting);
    return ref;
  });
}
