/**
 * lcctl create secret docker-registry NAME --docker-server S --docker-username U --docker-password P
 * [--docker-email E] [-n NS]: a kubernetes.io/dockerconfigjson Secret, byte-compatible with
 * kubectl's, for pods' imagePullSecrets (and a ServiceAccount's).
 */
import type { ApiObject } from '../../api/meta.js';
import type { FlagSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { dryRunMode } from './apply.js';

/** The flags of create secret docker-registry (added to create's spec). */
export const dockerSecretFlags: FlagSpec[] = [
  { name: 'docker-server', type: 'string', help: 'secret docker-registry: the registry (default https://index.docker.io/v1/)', value: 'string' },
  { name: 'docker-username', type: 'string', help: 'secret docker-registry: the user name', value: 'string' },
  { name: 'docker-password', type: 'string', help: 'secret docker-registry: the password or token', value: 'string' },
  { name: 'docker-email', type: 'string', help: 'secret docker-registry: an email (kept for old clients)', value: 'string' },
];

/** kubectl's .dockerconfigjson document for one registry. */
export function dockerConfigJson(server: string, username: string, password: string, email?: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  return JSON.stringify({ auths: { [server]: { username, password, ...(email ? { email } : {}), auth } } });
}

/** Runs `create secret docker-registry NAME`; resolves with the exit status. */
export async function runDockerSecret(p: Parsed, args: string[]): Promise<number> {
  if (args.length !== 1) throw new UsageError(`exactly one NAME is required, got ${args.length}`);
  const username = p.str('docker-username');
  const password = p.str('docker-password');
  const missing = [!username && 'docker-username', !password && 'docker-password'].filter(Boolean);
  if (missing.length > 0) throw new UsageError(`required flag(s) ${missing.map((m) => `"${String(m)}"`).join(', ')} not set`);
  const server = p.str('docker-server') || 'https://index.docker.io/v1/';
  const doc = dockerConfigJson(server, username!, password!, p.str('docker-email'));
  const obj = {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: args[0]!, namespace: p.str('namespace') || 'default' },
    type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(doc).toString('base64') },
  } as ApiObject;
  const dry = dryRunMode(p);
  const output = p.str('output');
  if (output !== undefined && !['json', 'yaml', 'name'].includes(output)) throw new UsageError(`unable to match a printer suitable for the output format "${output}", allowed formats are: json, name, yaml`);
  const made = dry === 'client' ? obj : await connect(p).create('secrets', obj, { dryRun: dry === 'server' });
  if (output === 'json') process.stdout.write(`${JSON.stringify(made, null, 4)}\n`);
  else if (output === 'yaml') { const { toYaml } = await import('../output/yaml.js'); process.stdout.write(await toYaml(made)); }
  else process.stdout.write(`secret/${made.metadata.name}${output === 'name' ? '' : ` created${dry === 'server' ? ' (server dry run)' : dry === 'client' ? ' (dry run)' : ''}`}\n`);
  return 0;
}
