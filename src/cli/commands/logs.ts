/** lcctl logs: print (or follow) a container's output; stdout and stderr go to their local streams. */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveTarget } from '../pods/resolve.js';
import { jobLogTarget } from '../jobs/log-pod.js';
import { copyLog, type LogQuery } from '../io/logs.js';
import { parseDuration } from '../output/durations.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'logs',
  usage: 'logs [OPTIONS] CONTAINER',
  summary: 'Fetch the logs of a container (CONTAINER: name, ID prefix, or pod/container)',
  style: 'docker',
  flags: [
    { name: 'follow', short: 'f', type: 'bool', help: 'Follow log output' },
    { name: 'tail', type: 'string', help: 'Number of lines to show from the end of the logs', default: 'all' },
    { name: 'timestamps', short: 't', type: 'bool', help: 'Show timestamps' },
    { name: 'since', type: 'string', help: 'Show logs since a relative duration (e.g. 42s, 10m, 1h)' },
    { name: 'container', short: 'c', type: 'string', help: 'Container of a multi-container pod' },
    { name: 'previous', type: 'bool', help: 'Show the log of the previous (restarted) instance' },
    namespaceFlag,
  ],
  notes: 'Without --tail, the container\'s stdout and stderr are written to lcctl\'s stdout and stderr.\nWith --tail N the last N lines of both, interleaved, go to stdout.',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl logs" requires exactly 1 argument (the container), got ${p.args.length}`);
  const tail = p.str('tail');
  let tailLines: number | undefined;
  if (tail !== undefined && tail !== 'all') {
    if (!/^\d+$/.test(tail)) throw new UsageError(`invalid argument "${tail}" for "--tail" flag: expected a number or "all"`);
    tailLines = Number(tail);
  }
  const sinceText = p.str('since');
  const sinceSeconds = sinceText === undefined ? undefined : parseDuration(sinceText);
  if (sinceText !== undefined && sinceSeconds === undefined) throw new UsageError(`invalid argument "${sinceText}" for "--since" flag: expected a duration such as 42s, 10m or 1h`);
  const client = connect(p);
  const ns = namespaceOf(p);
  const target = await jobLogTarget(client, ns, p.args[0]!) ?? await resolveTarget(client, ns, p.args[0]!);
  let container = p.str('container') ?? target.container;
  if (container === undefined && target.pod.spec.containers.length > 1) {
    container = target.pod.spec.containers[0]!.name;
    process.stderr.write(`Defaulted container "${container}" out of: ${target.pod.spec.containers.map((c) => c.name).join(', ')}\n`);
  }
  const base: LogQuery = { follow: p.bool('follow'), timestamps: p.bool('timestamps'), previous: p.bool('previous') };
  if (container) base.container = container;
  if (sinceSeconds !== undefined) base.sinceSeconds = Math.ceil(sinceSeconds);
  const name = target.pod.metadata.name;
  const copies = tailLines !== undefined
    ? [copyLog(client, ns, name, { ...base, tailLines, stream: 'All' }, process.stdout)]
    : [copyLog(client, ns, name, { ...base, stream: 'Stdout' }, process.stdout), copyLog(client, ns, name, { ...base, stream: 'Stderr' }, process.stderr)];
  await Promise.all(copies.map((c) => c.done));
  return 0;
}
