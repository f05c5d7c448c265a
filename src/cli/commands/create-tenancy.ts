/**
 * lcctl create namespace NAME and lcctl create quota NAME --hard=cpu=4,memory=8Gi,pods=20 [-n NS], as
 * kubectl create does. Reached through commands/create.ts, whose spec carries tenancyFlags.
 */
import type { ApiObject } from '../../api/meta.js';
import type { FlagSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { dryRunMode } from './apply.js';

/** The flags of create quota (added to create's spec). */
export const tenancyFlags: FlagSpec[] = [
  { name: 'hard', type: 'string', help: 'create quota: the hard limits, e.g. cpu=4,memory=8Gi,pods=20,requests.nvidia.com/gpu=2' },
];

/** Whether `create WHAT` is one of ours. */
export const isTenancyCreate = (what: string | undefined): boolean => what === 'namespace' || what === 'ns' || what === 'quota' || what === 'resourcequota';

/** --hard=K=V,K=V as ResourceQuota spec.hard; the server checks names and quantities. */
export function parseHard(text: string | undefined): Record<string, string> {
  if (text === undefined || text.trim() === '') throw new UsageError('--hard is required: e.g. --hard=cpu=4,memory=8Gi,pods=20');
  const hard: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq <= 0 || value === '') throw new UsageError(`--hard: expected RESOURCE=QUANTITY pairs separated by commas, got ${JSON.stringify(part)}`);
    hard[key] = value;
  }
  return hard;
}

/** Run `create namespace NAME` or `create quota NAME --hard=...`; resolves with the exit status. */
export async function runTenancy(p: Parsed): Promise<number> {
  const [what, ...args] = p.args;
  if (args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${args.length}`);
  const name = args[0]!;
  const namespace = what === 'namespace' || what === 'ns';
  const obj: ApiObject = namespace
    ? { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }
    : { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: p.str('namespace') || 'default' }, spec: { hard: parseHard(p.str('hard')) } } as ApiObject;
  const dry = dryRunMode(p);
  const made = dry === 'client' ? obj : await connect(p).create(namespace ? 'namespaces' : 'resourcequotas', obj, { dryRun: dry === 'server' });
  const output = p.str('output');
  if (output === 'json') process.stdout.write(`${JSON.stringify(made, null, 4)}\n`);
  else if (output === 'yaml') { const { toYaml } = await import('../output/yaml.js'); process.stdout.write(await toYaml(made)); }
  else process.stdout.write(`${namespace ? 'namespace' : 'resourcequota'}/${made.metadata.name}${output === 'name' ? '' : ` created${dry === 'server' ? ' (server dry run)' : dry === 'client' ? ' (dry run)' : ''}`}\n`);
  return 0;
}
