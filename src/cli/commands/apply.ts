/**
 * lcctl apply -f: create each object, or update it with kubectl's three-way merge against the
 * last applied configuration (annotation kubectl.kubernetes.io/last-applied-configuration).
 */
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError, kubeErrorLine } from '../errors.js';
import { readManifests } from '../manifest.js';
import { applyOne, labelOf, type DryRun } from '../apply/plan.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'apply',
  usage: 'apply -f FILENAME [OPTIONS]',
  summary: 'Create or update objects from files (YAML with --- separated documents, or JSON)',
  style: 'kubectl',
  flags: [
    { name: 'filename', short: 'f', type: 'list', help: 'File, directory or - (stdin) with the objects (repeatable)' },
    { name: 'recursive', short: 'R', type: 'bool', help: 'Process the directories given with -f recursively' },
    { name: 'namespace', short: 'n', type: 'string', help: 'Namespace for objects that name none', default: 'default' },
    { name: 'dry-run', type: 'string', help: 'none, server (validated by the server, nothing stored) or client (nothing sent)', default: 'none' },
    { name: 'output', short: 'o', type: 'string', help: 'name: print only kind/name' },
  ],
  notes: 'Fields removed from the file since the last apply are removed from the object; fields set by\nthe server or others (status, nodeName, defaults) are kept. Lists are replaced as a whole.',
};

/** Parse --dry-run as kubectl does (a bare --dry-run means client). */
export function dryRunMode(p: Parsed): DryRun {
  const dry = p.str('dry-run') ?? 'none';
  if (dry === 'none' || dry === 'server' || dry === 'client') return dry;
  if (dry === '' || dry === 'true') return 'client';
  if (dry === 'false') return 'none';
  throw new UsageError(`invalid --dry-run "${dry}": allowed values are none, server and client`);
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const files = p.list('filename');
  if (files.length === 0) throw new UsageError('must specify one of -f and -k (lcctl supports -f)');
  if (p.args.length > 0) throw new UsageError(`unexpected argument: ${p.args[0]} (objects come from -f)`);
  const dry = dryRunMode(p);
  const output = p.str('output');
  if (output !== undefined && output !== 'name') throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: name`);
  const objects = await readManifests(files, p.bool('recursive'));
  if (objects.length === 0) throw new CliError('no objects passed to apply');
  const client = connect(p);
  const ns = p.str('namespace') || 'default';
  const suffix = dry === 'server' ? ' (server dry run)' : dry === 'client' ? ' (dry run)' : '';
  let failed = false;
  for (const m of objects) {
    const label = labelOf(m);
    try {
      const what = await applyOne(client, m, ns, dry);
      process.stdout.write(output === 'name' ? `${label}\n` : `${label} ${what}${suffix}\n`);
    } catch (e) {
      failed = true;
      process.stderr.write(`${kubeErrorLine(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}
