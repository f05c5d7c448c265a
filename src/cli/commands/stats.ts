/** lcctl stats: CPU, memory and PIDs of containers, sampled every second (or once with --no-stream). */
import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import type { ContainerUsage } from '../../api/node-services.js';
import type { HttpClient } from '../../client/http-client.js';
import { resourcePath } from '../../client/paths.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { errorText } from '../errors.js';
import { parseBytes } from '../../api/quantity.js';
import { resolveTarget } from '../pods/resolve.js';
import { containerViews } from '../pods/status.js';
import { isRunning } from '../pods/ops.js';
import { statsRows, type StatsSample } from '../pods/stats-rows.js';
import { dockerStyle, renderTable } from '../output/table.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'stats',
  usage: 'stats [OPTIONS] [CONTAINER...]',
  summary: 'Display a live stream of container resource usage',
  style: 'docker',
  flags: [
    { name: 'no-stream', type: 'bool', help: 'Print one table (from two samples a second apart) and exit' },
    { name: 'all', short: 'a', type: 'bool', help: 'Show all containers (default shows just running)' },
    namespaceFlag,
  ],
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Node memory capacity, the limit Docker shows for containers without one. */
async function nodeMemory(client: HttpClient, cache: Map<string, number | undefined>, node: string | undefined): Promise<number | undefined> {
  if (!node) return undefined;
  if (!cache.has(node)) {
    try {
      const n = await client.get<Node>('nodes', node);
      const mem = n.status?.capacity?.memory;
      cache.set(node, mem === undefined ? undefined : parseBytes(mem));
    } catch { cache.set(node, undefined); }
  }
  return cache.get(node);
}

async function sample(client: HttpClient, pods: Pod[], cache: Map<string, number | undefined>, strict: boolean): Promise<StatsSample[]> {
  const per = await Promise.all(pods.map(async (pod) => {
    try {
      const res = await client.json<{ containers: ContainerUsage[] }>('GET', resourcePath('pods', pod.metadata.namespace ?? 'default', pod.metadata.name, 'stats'));
      const fallback = await nodeMemory(client, cache, pod.spec.nodeName);
      return containerViews(pod).flatMap((v) => {
        const usage = res.containers.find((c) => c.container === v.container.name);
        if (!usage) return [];
        const s: StatsSample = { key: `${pod.metadata.uid ?? pod.metadata.name}/${v.container.name}`, id: v.id, name: v.name, usage };
        if (fallback !== undefined) s.limitFallback = fallback;
        return [s];
      });
    } catch (e) {
      if (strict) process.stderr.write(`lcctl: Error: ${pod.metadata.name}: ${errorText(e)}\n`);
      return [];
    }
  }));
  return per.flat();
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const client = connect(p);
  const ns = namespaceOf(p);
  const named = p.args.length > 0 ? await Promise.all(p.args.map((r) => resolveTarget(client, ns, r))) : undefined;
  const pods = async (): Promise<Pod[]> => {
    if (named) return Promise.all(named.map((t) => client.get<Pod>('pods', t.pod.metadata.name, ns)));
    const list = await client.list<Pod>('pods', ns);
    return list.items.filter((pod) => (p.bool('all') ? pod.spec.nodeName !== undefined : isRunning(pod)));
  };
  const cache = new Map<string, number | undefined>();
  const tty = process.stdout.isTTY === true;
  let previous = new Map<string, ContainerUsage>();
  const header = ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS'];
  if (p.bool('no-stream')) {
    const first = await sample(client, await pods(), cache, false);
    for (const s of first) previous.set(s.key, s.usage);
    await sleep(1000);
  }
  for (;;) {
    const samples = await sample(client, await pods(), cache, named !== undefined);
    const rows = statsRows(samples, previous).map((r) => [r.id, r.name, r.cpu, r.mem, r.memPercent, r.pids]);
    previous = new Map(samples.map((s) => [s.key, s.usage]));
    const table = renderTable(header, rows, dockerStyle);
    process.stdout.write(tty && !p.bool('no-stream') ? `\x1b[2J\x1b[H${table}` : table);
    if (p.bool('no-stream')) return 0;
    await sleep(1000);
  }
}
