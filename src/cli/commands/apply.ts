/**
 * lcctl apply -f: create each object, or update it when it exists (spec, labels and annotations
 * replaced at the stored resourceVersion). A server-side dry run first tells "unchanged" apart.
 */
import type { ApiObject } from '../../api/meta.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError, isCode, kubeErrorLine } from '../errors.js';
import { readManifests, type ManifestObject } from '../manifest.js';
import { findCliKind } from '../kinds.js';
import { appliedContent } from '../apply/canonical.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'apply',
  usage: 'apply -f FILENAME [OPTIONS]',
  summary: 'Create or update objects from files (YAML with --- separated documents, or JSON)',
  style: 'kubectl',
  flags: [
    { name: 'filename', short: 'f', type: 'list', help: 'File, directory or - (stdin) with the objects' },
    { name: 'namespace', short: 'n', type: 'string', help: 'Namespace for objects that name none', default: 'default' },
    { name: 'dry-run', type: 'string', help: 'none or server: validate on the server without storing', default: 'none' },
    { name: 'output', short: 'o', type: 'string', help: 'name: print only kind/name' },
  ],
};

type Spec = ApiObject & { spec?: Record<string, unknown> };

/** Apply one object; resolves with what happened. */
export async function applyOne(client: HttpClient, m: ManifestObject, ns: string, dryRun: boolean): Promise<'created' | 'configured' | 'unchanged'> {
  const kind = findCliKind(m.obj.kind);
  if (!kind) throw new CliError(`${m.source}: no matches for kind "${m.obj.kind}" (Lantern serves Pod and Node)`);
  const obj = structuredClone(m.obj) as Spec;
  if (kind.namespaced) obj.metadata.namespace ??= ns;
  else delete obj.metadata.namespace;
  const namespace = kind.namespaced ? obj.metadata.namespace : undefined;
  let stored: Spec | undefined;
  if (dryRun) {
    // A dry-run create does not look at what is stored, so ask first.
    try { stored = await client.get<Spec>(kind.resource, obj.metadata.name, namespace); } catch (e) { if (!isCode(e, 'NotFound')) throw e; }
  }
  if (!stored) {
    try {
      await client.create(kind.resource, obj, { dryRun });
      return 'created';
    } catch (e) {
      if (!isCode(e, 'AlreadyExists')) throw e;
    }
    stored = await client.get<Spec>(kind.resource, obj.metadata.name, namespace);
  }
  const next: Spec = {
    ...obj,
    metadata: { ...obj.metadata, resourceVersion: stored.metadata.resourceVersion },
  };
  // The scheduler's binding is not the user's to undo.
  const nodeName = stored.spec?.nodeName;
  if (nodeName !== undefined && next.spec && next.spec.nodeName === undefined) next.spec = { ...next.spec, nodeName };
  const preview = await client.update<Spec>(kind.resource, next, { dryRun: true });
  if (appliedContent(preview) === appliedContent(stored)) return 'unchanged';
  if (!dryRun) await client.update(kind.resource, next);
  return 'configured';
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const files = p.list('filename');
  if (files.length === 0) throw new UsageError('must specify one of -f and -k (lcctl supports -f)');
  if (p.args.length > 0) throw new UsageError(`unexpected argument: ${p.args[0]} (objects come from -f)`);
  const dry = p.str('dry-run') ?? 'none';
  if (!['none', 'server', 'client'].includes(dry)) throw new UsageError(`invalid --dry-run "${dry}": none or server`);
  const objects = await readManifests(files);
  if (objects.length === 0) throw new CliError('no objects passed to apply');
  const client = connect(p);
  const ns = p.str('namespace') || 'default';
  let failed = false;
  for (const m of objects) {
    const kind = findCliKind(m.obj.kind);
    const label = `${kind?.singular ?? m.obj.kind.toLowerCase()}/${m.obj.metadata.name}`;
    try {
      const what = await applyOne(client, m, ns, dry !== 'none');
      process.stdout.write(p.str('output') === 'name' ? `${label}\n` : `${label} ${what}${dry !== 'none' ? ' (server dry run)' : ''}\n`);
    } catch (e) {
      failed = true;
      process.stderr.write(`${kubeErrorLine(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}
