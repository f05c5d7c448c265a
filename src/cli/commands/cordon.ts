/** lcctl cordon: mark nodes unschedulable (running pods stay; new ones go elsewhere). */
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError, kubeErrorLine } from '../errors.js';
import { nodeTarget } from '../nodes/node-args.js';
import { setUnschedulable } from '../nodes/cordon.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'cordon',
  usage: 'cordon NODE...',
  summary: 'Mark nodes as unschedulable',
  style: 'kubectl',
  flags: [],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  return setAll(p, 'cordon', true);
}

/** cordon and uncordon: each named node, reporting failures one by one (exit 1 if any failed). */
export async function setAll(p: Parsed, verb: string, unschedulable: boolean): Promise<number> {
  if (p.args.length === 0) throw new UsageError(`"lcctl ${verb}" requires at least one NODE argument`);
  const client = connect(p);
  let failed = false;
  for (const arg of p.args) {
    try {
      await setUnschedulable(client, nodeTarget([arg], verb, false).name, unschedulable, (l) => process.stdout.write(l));
    } catch (e) {
      failed = true;
      process.stderr.write(`${kubeErrorLine(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}
