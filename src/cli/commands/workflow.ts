/** lcctl workflow get NAME: draw a Workflow's DAG with each step's state and duration. */
import type { Workflow } from '../../api/schema/workflow.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { colorEnabled } from '../output/color.js';
import { renderWorkflowTree } from '../workflows/tree.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'workflow',
  usage: 'workflow get NAME [OPTIONS]',
  summary: 'Show a workflow\'s steps as a tree with their state and duration',
  style: 'kubectl',
  flags: [
    namespaceFlag,
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, name, ...extra] = p.args;
  if (sub !== 'get') throw new UsageError('lcctl workflow needs a subcommand: get NAME (list them with lcctl get workflows)');
  if (name === undefined || extra.length > 0) throw new UsageError('lcctl workflow get needs exactly one workflow NAME');
  const wf = await connect(p).get<Workflow>('workflows', name, p.str('namespace') || 'default');
  const tty = process.stdout.isTTY === true;
  process.stdout.write(renderWorkflowTree(wf, Date.now(), { symbols: tty, color: colorEnabled() }));
  return 0;
}
