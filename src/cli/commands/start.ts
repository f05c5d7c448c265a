/** lcctl start: start stopped containers again (clears run-state, bumps start-count). */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveTarget } from '../pods/resolve.js';
import { isRunning, requestStart, waitStarted } from '../pods/ops.js';
import { forEachRef } from '../pods/each.js';
import { Annotations } from '../../api/annotations.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'start',
  usage: 'start [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Start one or more stopped containers',
  style: 'docker',
  flags: [
    namespaceFlag,
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl start" requires at least 1 argument');
  const client = connect(p);
  const ns = namespaceOf(p);
  return forEachRef(p.args, async (ref) => {
    const { pod } = await resolveTarget(client, ns, ref);
    if (isRunning(pod) && pod.metadata.annotations?.[Annotations.runState] !== 'stopped') return ref;
    const updated = await requestStart(client, pod);
    await waitStarted(client, pod, updated);
    return ref;
  });
}
