/**
 * lcctl create configmap|secret generic: objects from literals and files, as kubectl create does.
 * Reached through commands/create.ts, whose spec carries configFlags.
 */
import type { ApiObject } from '../../api/meta.js';
import type { FlagSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { addEnvFiles, addFiles, addLiterals, configMapData, secretData, type DataEntries } from '../config-data/sources.js';
import { dryRunMode } from './apply.js';
import { runDockerSecret } from './create-docker-secret.js';

/** The flags of create configmap / create secret generic (added to create's spec). */
export const configFlags: FlagSpec[] = [
  { name: 'from-literal', type: 'list', help: 'configmap/secret: a key and literal value (KEY=VALUE), repeatable' },
  { name: 'from-file', type: 'list', help: 'configmap/secret: a file ([KEY=]PATH; key defaults to its base name) or a directory, repeatable' },
  { name: 'from-env-file', type: 'list', help: 'configmap/secret: a file of KEY=VALUE lines, repeatable' },
  { name: 'type', type: 'string', help: 'secret generic: the Secret type (default Opaque)' },
  { name: 'output', short: 'o', type: 'string', help: 'configmap/secret: json, yaml or name: print the object' },
];

/** Whether `create WHAT` is one of ours. */
export const isConfigCreate = (what: string | undefined): boolean => what === 'configmap' || what === 'cm' || what === 'secret';

function build(kind: 'configmap' | 'secret', name: string, ns: string, entries: DataEntries, type: string | undefined): ApiObject {
  const metadata = { name, namespace: ns };
  if (kind === 'configmap') return { apiVersion: 'v1', kind: 'ConfigMap', metadata, ...configMapData(entries) } as ApiObject;
  const data = secretData(entries);
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: type ?? 'Opaque', ...(Object.keys(data).length > 0 ? { data } : {}) } as ApiObject;
}

/** Run `create configmap NAME` or `create secret generic NAME`; resolves with the exit status. */
export async function runConfig(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  let kind: 'configmap' | 'secret' = 'configmap';
  let args = rest;
  if (sub === 'secret' && rest[0] === 'docker-registry') return runDockerSecret(p, rest.slice(1));
  if (sub === 'secret') {
    if (rest[0] !== 'generic') throw new UsageError(rest[0] === undefined ? '"lcctl create secret" requires a type: generic or docker-registry' : `unknown secret type "${rest[0]}": use generic or docker-registry (lcctl create secret generic NAME ...)`);
    kind = 'secret';
    args = rest.slice(1);
  }
  if (args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${args.length}`);
  if (kind === 'configmap' && p.str('type') !== undefined) throw new UsageError('--type is only for secrets');
  const entries: DataEntries = new Map();
  addLiterals(entries, p.list('from-literal'));
  addFiles(entries, p.list('from-file'));
  addEnvFiles(entries, p.list('from-env-file'));
  const dry = dryRunMode(p);
  const output = p.str('output');
  if (output !== undefined && !['json', 'yaml', 'name'].includes(output)) throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json, name, yaml`);
  const obj = build(kind, args[0]!, p.str('namespace') || 'default', entries, p.str('type'));
  const resource = kind === 'configmap' ? 'configmaps' : 'secrets';
  const made = dry === 'client' ? obj : await connect(p).create(resource, obj, { dryRun: dry === 'server' });
  if (output === 'json') process.stdout.write(`${JSON.stringify(made, null, 4)}\n`);
  else if (output === 'yaml') { const { toYaml } = await import('../output/yaml.js'); process.stdout.write(await toYaml(made)); }
  else process.stdout.write(`${kind}/${made.metadata.name}${output === 'name' ? '' : ` created${dry === 'server' ? ' (server dry run)' : dry === 'client' ? ' (dry run)' : ''}`}\n`);
  return 0;
}
