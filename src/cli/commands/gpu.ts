/** lcctl gpu ls [--node N] [-o json|yaml|wide] | lcctl gpu install-driver [--version V] [--node N | -l SELECTOR]. */
import type { Node } from '../../api/node.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { toYaml } from '../output/yaml.js';
import { gpuRows, gpuTable } from '../gpu/gpu-table.js';
import { escapeControl } from '../../api/printers/escape.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'gpu',
  usage: 'gpu ls [--node NODE] [-o json|yaml|wide] | gpu install-driver [--version V] [--node NODE | -l SELECTOR]',
  summary: 'List the GPUs and NPUs of the nodes, or install the NVIDIA driver on nodes',
  style: 'kubectl',
  flags: [
    { name: 'node', type: 'string', help: 'Only this node' },
    { name: 'output', short: 'o', type: 'string', help: 'json, yaml or wide (ls)' },
    { name: 'version', type: 'string', help: 'Driver version to install, e.g. 535 or 535.161.08 (install-driver; default: the distribution\'s)' },
    { name: 'selector', short: 'l', type: 'string', help: 'Nodes matching this label selector (install-driver)' },
    { name: 'timeout', type: 'string', help: 'How long install-driver waits for the nodes, e.g. 30m (default 30m)' },
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  if (sub === 'install-driver') {
    if (rest.length > 0) throw new UsageError(`lcctl gpu install-driver takes no arguments, got "${rest.join(' ')}": name nodes with --node or -l`);
    const { installDriver } = await import('../gpu/install-driver.js');
    return installDriver(connect(p), { version: p.str('version'), node: p.str('node'), selector: p.str('selector'), timeout: p.str('timeout') });
  }
  if (sub !== 'ls' && sub !== 'list') throw new UsageError(sub === undefined ? 'lcctl gpu needs a subcommand: ls or install-driver' : `unknown subcommand "${sub}" for "lcctl gpu": expected ls or install-driver`);
  if (rest.length > 0) throw new UsageError(`lcctl gpu ls takes no arguments, got "${rest.join(' ')}": name a node with --node`);
  const output = p.str('output');
  if (output !== undefined && !['json', 'yaml', 'wide'].includes(output)) throw new UsageError(`--output must be json, yaml or wide, got "${output}"`);
  const client = connect(p);
  const name = p.str('node');
  const nodes = name !== undefined ? [await client.get<Node>('nodes', name)] : (await client.list<Node>('nodes')).items;
  const rows = gpuRows(nodes);
  if (output === 'json') { process.stdout.write(`${JSON.stringify({ items: rows }, null, 2)}\n`); return 0; }
  if (output === 'yaml') { process.stdout.write(await toYaml({ items: rows })); return 0; }
  if (rows.length === 0) {
    process.stderr.write(`No GPUs found${name !== undefined ? ` on node ${name}` : ''} (a node lists its GPUs once its agent finds nvidia-smi and /dev/nvidia*; lcctl gpu install-driver installs the driver)\n`);
    return 0;
  }
  const t = gpuTable(rows, output === 'wide');
  process.stdout.write(renderTable(t.header, t.rows.map((r) => r.map(escapeControl)), kubeStyle));
  return 0;
}
