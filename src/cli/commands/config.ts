/** lcctl config kubeconfig: print a kubeconfig for the server and token lcctl uses, for kubectl and the Kubernetes client libraries. */
import { homedir } from 'node:os';
import type { CommandSpec, Parsed } from '../args.js';
import { UsageError } from '../errors.js';
import { resolveConfig } from '../config.js';
import { kubeconfigYaml } from '../../api/kubeconfig.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'config',
  usage: 'config kubeconfig [--name NAME]',
  summary: 'Print a kubeconfig for kubectl (KUBECONFIG=<(lcctl config kubeconfig) kubectl get pods)',
  style: 'kubectl',
  flags: [
    { name: 'name', type: 'string', help: 'Cluster, user and context name in the kubeconfig (default lantern)' },
  ],
};

/** Run the verb; resolves with the exit status. */
export function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  if (sub !== 'kubeconfig' || rest.length > 0) throw new UsageError('usage: lcctl config kubeconfig [--name NAME]');
  const cfg = resolveConfig({ server: p.str('server'), token: p.str('token') }, process.env, process.env.HOME ?? homedir());
  if (cfg.token === '') throw new UsageError('no token to put in the kubeconfig: pass --token, set LANTERN_TOKEN, or use the admin config the server wrote');
  if (cfg.server.startsWith('http:')) process.stderr.write('warning: kubectl sends a bearer token only over HTTPS; this server is plain HTTP, so kubectl will be refused\n');
  const name = p.str('name') || 'lantern';
  process.stdout.write(kubeconfigYaml({ server: cfg.server, token: cfg.token, name, ...(cfg.ca === undefined ? {} : { caPem: cfg.ca }) }));
  return Promise.resolve(0);
}
