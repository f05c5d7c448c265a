/** lcctl taint: add or remove node taints (`key=value:Effect`, `key:Effect-`, `key-`). */
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { nodeTarget, updateNode } from '../nodes/node-args.js';
import { applyTaints, parseTaintSpecs } from '../nodes/taint-spec.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'taint',
  usage: 'taint nodes NODE KEY[=VALUE]:EFFECT... | KEY[:EFFECT]-...',
  summary: 'Update the taints on a node',
  style: 'kubectl',
  flags: [
    { name: 'overwrite', type: 'bool', help: 'Replace a taint that has the same key and effect' },
  ],
  notes: `EFFECT is NoSchedule, PreferNoSchedule or NoExecute.

Examples:
  lcctl taint nodes edge-1 dedicated=gpu:NoSchedule
  lcctl taint nodes edge-1 dedicated:NoSchedule-
  lcctl taint nodes edge-1 dedicated-`,
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const { name, rest } = nodeTarget(p.args, 'taint', true);
  const changes = parseTaintSpecs(rest);
  const client = connect(p);
  await updateNode(client, name, (node) => {
    node.spec = { ...node.spec, taints: applyTaints(name, node.spec?.taints ?? [], changes, p.bool('overwrite')) };
    return true;
  });
  process.stdout.write(`node/${name} ${changes.add.length === 0 ? 'untainted' : 'tainted'}\n`);
  return 0;
}
