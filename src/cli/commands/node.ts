/** lcctl node credentials | node revoke NAME...: the per-node credentials agents joined with. */
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { nodeCredentialTable, type NodeCredentialRow } from '../credentials/tables.js';

const base = '/apis/lantern.dev/v1/nodecredentials';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'node',
  usage: 'node credentials | node revoke NAME...',
  summary: 'List node credentials, or revoke one (the node is cut off; it may join again only as a new node)',
  style: 'kubectl',
  flags: [
    { name: 'output', short: 'o', type: 'string', help: 'credentials: json for the raw list', value: 'format' },
  ],
  notes: `Revoking a node's credential (as deleting its Node does) answers its next request with 401,
closes its connections and its tunnel, and forgets its node secret: the name can then be joined
afresh with a join token. To keep a machine out, also delete the join token it had.`,
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  if (sub === 'credentials' || sub === 'creds') {
    if (rest.length > 0) throw new UsageError('lcctl node credentials takes no arguments');
    const answer = await connect(p).json<{ items: NodeCredentialRow[] }>('GET', base);
    if (p.str('output') === 'json') { process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`); return 0; }
    if (p.str('output') !== undefined) throw new UsageError(`--output: only json is supported here, got ${JSON.stringify(p.str('output'))}`);
    if (answer.items.length === 0) { process.stderr.write('No node credentials found (no agent has joined)\n'); return 0; }
    const t = nodeCredentialTable(answer.items, Date.now());
    process.stdout.write(renderTable(t.header, t.rows, kubeStyle));
    return 0;
  }
  if (sub === 'revoke') {
    if (rest.length === 0) throw new UsageError('lcctl node revoke needs the NAME of each node (lcctl node credentials lists them)');
    const client = connect(p);
    for (const name of rest) {
      await client.json('DELETE', `${base}/${encodeURIComponent(name)}`);
      process.stdout.write(`node credential "${name}" revoked\n`);
    }
    return 0;
  }
  throw new UsageError('lcctl node needs a subcommand: credentials, or revoke NAME...');
}
