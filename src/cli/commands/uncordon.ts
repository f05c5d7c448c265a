/** lcctl uncordon: mark nodes schedulable again. */
import type { CommandSpec, Parsed } from '../args.js';
import { setAll } from './cordon.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'uncordon',
  usage: 'uncordon NODE...',
  summary: 'Mark nodes as schedulable',
  style: 'kubectl',
  flags: [],
};

/** Run the verb; resolves with the exit status. */
export function run(p: Parsed): Promise<number> {
  return setAll(p, 'uncordon', false);
}
