/** lcctl top: CPU and memory of nodes or pods, from the server's metrics.k8s.io API (kubectl top). */
import type { Node } from '../../api/node.js';
import { ApiError } from '../../api/errors.js';
import { UsageError } from '../errors.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { nodeRows, podRows, type NodeMetrics, type PodMetrics } from '../top/rows.js';
import { withGpuColumns } from '../gpu/top-columns.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'top',
  usage: 'top (nodes [NAME] | pods [NAME]) [-n NS | -A]',
  summary: 'Display resource (CPU/memory) usage of nodes or pods',
  style: 'kubectl',
  flags: [
    { name: 'namespace', short: 'n', type: 'string', help: 'Namespace of the pods', default: 'default' },
    { name: 'all-namespaces', short: 'A', type: 'bool', help: 'Pods in every namespace' },
    { name: 'no-headers', type: 'bool', help: 'Do not print the header row' },
  ],
  notes: `CPU is the rate between two scrapes of the node (the first call waits a second for the second one);
memory is the working set (usage minus reclaimable page cache), as metrics-server reports them.

Examples:
  lcctl top nodes
  lcctl top pods -A`,
};

const group = '/apis/metrics.k8s.io/v1beta1';

/** The table, without its first line for --no-headers (widths still count the header, as kubectl's do). */
function write(table: string, headers: boolean): void {
  process.stdout.write(headers ? table : table.slice(table.indexOf('\n') + 1));
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [what, name] = p.args;
  const client = connect(p);
  const headers = !p.bool('no-headers');
  if (what === 'nodes' || what === 'node' || what === 'no') {
    const path = `${group}/nodes${name ? `/${encodeURIComponent(name)}` : ''}`;
    const items = name ? [await client.json<NodeMetrics>('GET', path)] : (await client.json<{ items: NodeMetrics[] }>('GET', path)).items;
    const nodes = await client.list<Node>('nodes');
    const alloc = new Map(nodes.items.map((n) => [n.metadata.name, { cpu: n.status?.allocatable?.cpu ?? n.status?.capacity?.cpu, memory: n.status?.allocatable?.memory ?? n.status?.capacity?.memory }]));
    if (items.length === 0) throw new ApiError('NotFound', 'metrics not available yet: no node is connected to the server');
    const header = ['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'];
    const t = withGpuColumns(header, nodeRows(items, alloc), nodes.items);
    write(renderTable(t.header, t.rows, kubeStyle), headers);
    return 0;
  }
  if (what === 'pods' || what === 'pod' || what === 'po') {
    const all = p.bool('all-namespaces') && !name;
    const ns = p.str('namespace') || 'default';
    const base = all ? `${group}/pods` : `${group}/namespaces/${encodeURIComponent(ns)}/pods`;
    const items = name ? [await client.json<PodMetrics>('GET', `${base}/${encodeURIComponent(name)}`)] : (await client.json<{ items: PodMetrics[] }>('GET', base)).items;
    if (items.length === 0) {
      process.stderr.write(all ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`);
      return 0;
    }
    const header = [...(all ? ['NAMESPACE'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'];
    write(renderTable(header, podRows(items, all), kubeStyle), headers);
    return 0;
  }
  throw new UsageError(`unknown resource ${JSON.stringify(what ?? '')}: use "lcctl top nodes" or "lcctl top pods"`);
}
