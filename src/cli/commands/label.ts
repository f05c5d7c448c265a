/** lcctl label: set (`key=value`) or remove (`key-`) labels on a node. */
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { nodeTarget, updateNode } from '../nodes/node-args.js';
import { applyLabels, parseLabelSpecs } from '../nodes/label-spec.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'label',
  usage: 'label nodes NODE KEY=VALUE... | KEY-... [--overwrite]',
  summary: 'Update the labels on a node',
  style: 'kubectl',
  flags: [
    { name: 'overwrite', type: 'bool', help: 'Allow changing the value of a label that is already set' },
  ],
  notes: `Examples:
  lcctl label nodes edge-1 zone=north
  lcctl label nodes edge-1 zone=south --overwrite
  lcctl label nodes edge-1 zone-`,
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const { name, rest } = nodeTarget(p.args, 'label', true);
  const changes = parseLabelSpecs(rest);
  const client = connect(p);
  let warnings: string[] = [];
  const { changed } = await updateNode(client, name, (node) => {
    const before = node.metadata.labels ?? {};
    const next = applyLabels(before, changes, p.bool('overwrite'));
    warnings = next.warnings;
    if (JSON.stringify(next.labels) === JSON.stringify(before)) return false;
    node.metadata = { ...node.metadata, labels: next.labels };
    return true;
  });
  for (const w of warnings) process.stderr.write(`${w}\n`);
  const word = !changed ? 'not labeled' : Object.keys(changes.set).length === 0 ? 'unlabeled' : 'labeled';
  process.stdout.write(`node/${name} ${word}\n`);
  return 0;
}
