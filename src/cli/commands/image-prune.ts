/** lcctl image prune: remove unnamed images (-a: every image no container uses) and free their layers. */
import { createInterface } from 'node:readline';
import type { ImagePruneReport } from '../../api/image-inspect.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { dockerSize } from '../images/rows.js';
import { imagesPath } from './images.js';
import { nodeFlag, withNode } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image prune',
  usage: 'image prune [OPTIONS]',
  summary: 'Remove unused images',
  style: 'docker',
  flags: [
    { name: 'all', short: 'a', type: 'bool', help: 'Remove all unused images, not just dangling ones' },
    { name: 'force', short: 'f', type: 'bool', help: 'Do not prompt for confirmation' },
    nodeFlag('Only on this node'),
  ],
};

const warnings = {
  dangling: 'WARNING! This will remove all dangling images.',
  all: 'WARNING! This will remove all images without at least one container associated to them.',
};

/** Asks y/N on a terminal; anything but y/yes is no. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Docker's report: "Deleted Images:", one line per untag/delete, then "Total reclaimed space: X". */
export function pruneReport(r: ImagePruneReport): string {
  const lines: string[] = [];
  if (r.ImagesDeleted.length > 0) {
    lines.push('Deleted Images:');
    for (const e of r.ImagesDeleted) {
      if (e.Untagged) lines.push(`untagged: ${e.Untagged}`);
      if (e.Deleted) lines.push(`deleted: ${e.Deleted}`);
    }
    lines.push('');
  }
  lines.push(`Total reclaimed space: ${dockerSize(r.SpaceReclaimed)}`);
  return `${lines.join('\n')}\n`;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length > 0) throw new UsageError(`"lcctl image prune" accepts no arguments (got ${p.args[0]})`);
  const all = p.bool('all');
  if (!p.bool('force')) {
    if (!process.stdin.isTTY) throw new CliError('refusing to prune without confirmation: stdin is not a terminal; pass -f (--force) to prune without asking');
    if (!(await confirm(`${all ? warnings.all : warnings.dangling}\nAre you sure you want to continue? [y/N] `))) return 0;
  }
  const q = new URLSearchParams();
  if (all) q.set('all', '1');
  withNode(p, q);
  const qs = q.toString();
  const report = await connect(p).json<ImagePruneReport>('POST', `${imagesPath}/prune${qs ? `?${qs}` : ''}`);
  process.stdout.write(pruneReport(report));
  return 0;
}
