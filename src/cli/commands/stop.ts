/** lcctl stop: stop containers (the pod stays; its run-state annotation keeps it down). */
import type { CommandSpec, Parsed } from '../args.js';
import { forEachPodWithGrace, isRunning, requestStop, waitStopped, stopFlags } from '../pods/ops.js';
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
  return forEachPodWithGrace(p, 'stop', async (client, pod, grace) => {
    if (!isRunning(pod) && pod.metadata.annotations?.[Annotations.runState] === 'stopped') return;
    await waitStopped(client, await requestStop(client, pod, grace), grace);
  });
}
