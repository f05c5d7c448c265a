/**
 * lcctl diff -f: what apply would change, as a unified diff of the live objects against the
 * server's dry-run result (kubectl runs `diff -u -N` over two directories; so does lcctl).
 * Exit 0: no differences; 1: differences; >1: lcctl or diff failed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiObject } from '../../api/meta.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, kubeErrorLine } from '../errors.js';
import { readManifests } from '../manifest.js';
import { plan } from '../apply/plan.js';
import { toYaml } from '../output/yaml.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'diff',
  usage: 'diff -f FILENAME [OPTIONS]',
  summary: 'Diff the live objects against what apply would make of them',
  style: 'kubectl',
  flags: [
    { name: 'filename', short: 'f', type: 'list', help: 'File, directory or - (stdin) with the objects (repeatable)' },
    { name: 'recursive', short: 'R', type: 'bool', help: 'Process the directories given with -f recursively' },
    { name: 'namespace', short: 'n', type: 'string', help: 'Namespace for objects that name none', default: 'default' },
  ],
  notes: 'Exit status: 0 no differences, 1 differences found, >1 lcctl or diff failed. KUBECTL_EXTERNAL_DIFF\nor LANTERN_EXTERNAL_DIFF names another diff program (default "diff -u -N").',
};

/** The object as diff shows it: without the revision, which changes on every write. */
function shown(o: ApiObject | undefined): Promise<string> | string {
  if (!o) return '';
  const copy = structuredClone(o);
  delete copy.metadata.resourceVersion;
  return toYaml(copy);
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const files = p.list('filename');
  // Exit 1 means "differences", so even a usage error here exits 2.
  if (files.length === 0) throw new CliError('must specify one of -f and -k (lcctl supports -f)', 2);
  const objects = await readManifests(files, p.bool('recursive'));
  const client = connect(p);
  const ns = p.str('namespace') || 'default';
  const dir = mkdtempSync(join(tmpdir(), 'lcctl-diff-'));
  try {
    const liveDir = mkdtempSync(join(dir, 'LIVE-'));
    const mergedDir = mkdtempSync(join(dir, 'MERGED-'));
    for (const m of objects) {
      try {
        const pl = await plan(client, m, ns);
        const after = pl.live
          ? await client.update<ApiObject>(pl.kind.resource, pl.target, { dryRun: true })
          : await client.create<ApiObject>(pl.kind.resource, pl.target, { dryRun: true });
        const file = `${String(pl.target.apiVersion ?? 'v1').replace('/', '.')}.${pl.target.kind}.${pl.namespace ? `${pl.namespace}.` : ''}${pl.target.metadata.name}`;
        writeFileSync(join(liveDir, file), await shown(pl.live));
        writeFileSync(join(mergedDir, file), await shown(after));
      } catch (e) {
        process.stderr.write(`${kubeErrorLine(e)}\n`);
        return 2;
      }
    }
    const program = (process.env.LANTERN_EXTERNAL_DIFF ?? process.env.KUBECTL_EXTERNAL_DIFF ?? 'diff -u -N').split(' ').filter((s) => s !== '');
    const r = spawnSync(program[0]!, [...program.slice(1), liveDir, mergedDir], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.error) throw new CliError(`cannot run ${program[0]}: ${r.error.message}`, 2);
    return r.status ?? 2;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
