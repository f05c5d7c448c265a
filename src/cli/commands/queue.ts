/** lcctl queue list | queue create NAME [--weight N] [--cpu Q] [--memory Q] [--gpu N] [--cohort C]. */
import type { Queue } from '../../api/schema/queue.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { queueTable } from '../../api/printers/queue.js';
import { kindTable } from '../output/kind-table.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'queue',
  usage: 'queue list | queue create NAME [--weight N] [--cpu Q] [--memory Q] [--gpu N] [--cohort C] [--reclaim Never|LowerPriority|Any]',
  summary: 'List queues with their fair share, or create one (Jobs name a queue with the label lantern.dev/queue-name)',
  style: 'kubectl',
  flags: [
    { name: 'weight', type: 'string', help: 'Share of the cluster relative to other queues (default 1)' },
    { name: 'cpu', type: 'string', help: 'CPU quota, e.g. 8 or 500m (default: unlimited)' },
    { name: 'memory', type: 'string', help: 'Memory quota, e.g. 64Gi (default: unlimited)' },
    { name: 'gpu', type: 'string', help: 'nvidia.com/gpu quota (default: unlimited)' },
    { name: 'cohort', type: 'string', help: 'Queues of one cohort lend each other idle quota' },
    { name: 'reclaim', type: 'string', help: 'reclaimWithinCohort: Never, LowerPriority or Any (default Any)' },
    { name: 'output', short: 'o', type: 'string', help: 'wide: also QUOTA and COHORT' },
  ],
};

function queueOf(name: string, p: Parsed): Queue {
  const weight = p.str('weight');
  if (weight !== undefined && !(Number(weight) > 0)) throw new UsageError(`--weight must be a number above 0, got "${weight}"`);
  const reclaim = p.str('reclaim');
  if (reclaim !== undefined && !['Never', 'LowerPriority', 'Any'].includes(reclaim)) throw new UsageError(`--reclaim must be Never, LowerPriority or Any, got "${reclaim}"`);
  const quota: Record<string, string> = {};
  for (const [flag, key] of [['cpu', 'cpu'], ['memory', 'memory'], ['gpu', 'nvidia.com/gpu']] as const) {
    const v = p.str(flag);
    if (v !== undefined) quota[key] = v;
  }
  return {
    apiVersion: 'lantern.dev/v1', kind: 'Queue', metadata: { name },
    spec: {
      ...(weight !== undefined ? { weight: Number(weight) } : {}),
      ...(Object.keys(quota).length > 0 ? { quota } : {}),
      ...(p.str('cohort') ? { cohort: p.str('cohort') } : {}),
      ...(reclaim !== undefined ? { reclaimWithinCohort: reclaim as 'Never' | 'LowerPriority' | 'Any' } : {}),
    },
  };
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, name, ...extra] = p.args;
  const client = connect(p);
  if (sub === 'list' || sub === 'ls') {
    const qs = (await client.list<Queue>('queues')).items;
    if (qs.length === 0) { process.stderr.write('No queues found (create one: lcctl queue create NAME --weight 1)\n'); return 0; }
    const t = kindTable(queueTable, qs, { wide: p.str('output') === 'wide', namespaces: false, labels: false }, Date.now());
    process.stdout.write(renderTable(t.header, t.rows, kubeStyle));
    return 0;
  }
  if (sub === 'create') {
    if (name === undefined || extra.length > 0) throw new UsageError('lcctl queue create needs exactly one NAME: lcctl queue create team-a --weight 2 --cpu 8');
    await client.create<Queue>('queues', queueOf(name, p));
    process.stdout.write(`queue.lantern.dev/${name} created\n`);
    return 0;
  }
  throw new UsageError('lcctl queue needs a subcommand: list, or create NAME [--weight N] [--cpu Q] [--memory Q] [--gpu N] [--cohort C]');
}
