/** lcctl restart: stop (with the grace period) and start again. */
import type { CommandSpec, Parsed } from '../args.js';
import { forEachPodWithGrace, requestStart, requestStop, waitStarted, waitStopped, stopFlags } from '../pods/ops.js';

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
  return forEachPodWithGrace(p, 'restart', async (client, pod, grace) => {
    const stopped = await waitStopped(client, await requestStop(client, pod, grace), grace);
    await waitStarted(client, stopped, await requestStart(client, stopped));
  });
}
