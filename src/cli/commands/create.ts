/** lcctl create deployment NAME --image=IMG [--replicas=N] [--port=P] [-- COMMAND [ARGS...]]. */
import { isTenancyCreate, runTenancy, tenancyFlags } from './create-tenancy.js';
import type { Deployment } from '../../api/schema/apps.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveKind } from '../../api/kinds/names.js';
import { configFlags, isConfigCreate, runConfig } from './create-config.js';
import { createJob } from '../jobs/create.js';
import { createCronJob } from '../jobs/create-cronjob.js';
import { createUser } from '../auth/create-user.js';
import { createRbac, isRbacCreate, rbacCreateFlags } from '../rbac/create.js';
import { dockerSecretFlags } from './create-docker-secret.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'create',
  usage: 'create deployment NAME --image=IMAGE [--replicas=N] [--port=PORT] [-- COMMAND [ARGS...]]',
  summary: 'Create a deployment with the given name',
  style: 'kubectl',
  flags: [
    { name: 'image', type: 'list', help: 'Image for a container (repeat for several containers)' },
    { name: 'replicas', short: 'r', type: 'int', help: 'Number of replicas', default: '1' },
    { name: 'port', type: 'int', help: 'The containerPort the container exposes' },
    namespaceFlag,
    { name: 'dry-run', type: 'string', help: 'none, client or server: only print what would be created' },
    { name: 'schedule', type: 'string', help: "create cronjob: a cron schedule such as '*/5 * * * *' or @hourly" },
    { name: 'from', type: 'string', help: 'create job: the resource to make the Job from (cronjob/NAME)' },
    ...configFlags,
    { name: 'group', type: 'list', help: 'create user: a group of the user (repeat for several)' },
    { name: 'ttl', type: 'string', help: 'create user: how long the credential is valid', value: 'duration' },
    { name: 'with-token', type: 'bool', help: 'create user: a bearer token instead of a client certificate' },
    ...rbacCreateFlags,
    ...dockerSecretFlags,
    ...tenancyFlags,
  ],
  notes: 'Also: lcctl create configmap NAME [--from-literal=K=V] [--from-file=[K=]PATH] [--from-env-file=PATH]\n      lcctl create secret generic NAME [--from-literal=K=V] [--from-file=[K=]PATH] [--type=T]\n      lcctl create secret docker-registry NAME --docker-server=S --docker-username=U --docker-password=P [--docker-email=E]\n      lcctl create job NAME --image=IMAGE [-- COMMAND [ARGS...]]\n      lcctl create job NAME --from=cronjob/NAME\n      lcctl create user NAME [--group G]... [--ttl 8760h] [--with-token]   (prints a config for LANTERN_CONFIG and kubectl)\n      lcctl create role NAME --verb=get,list --resource=pods [--resource-name=N] [-n NS]   (clusterrole: also --non-resource-url)\n      lcctl create rolebinding NAME --role=R|--clusterrole=CR [--user=U] [--group=G] [--serviceaccount=NS:NAME] [-n NS]   (clusterrolebinding: --clusterrole)\n      lcctl create namespace NAME;  lcctl create quota NAME --hard=cpu=4,memory=8Gi,pods=20 [-n NS]\n      lcctl create cronjob NAME --image=IMAGE --schedule=\'*/1 * * * *\' [-- COMMAND [ARGS...]]',
};

/** kubectl's container name for an image: its last path part without tag or digest. */
export function containerName(image: string): string {
  const base = image.split('@')[0]!.split('/').pop()!.split(':')[0]!;
  return base.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'container';
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (isConfigCreate(p.args[0])) return runConfig(p);
  if (p.args[0] === 'user') return createUser(p);
  if (isTenancyCreate(p.args[0])) return runTenancy(p);
  if (isRbacCreate(p.args[0])) return createRbac(p);
  const [kindName, name, ...command] = p.args;
  if (kindName !== undefined && resolveKind(kindName)?.resource === 'jobs') return createJob(p);
  if (kindName !== undefined && resolveKind(kindName)?.resource === 'cronjobs') return createCronJob(p);
  if (kindName === undefined || resolveKind(kindName)?.resource !== 'deployments') throw new UsageError('lcctl create makes deployments: lcctl create deployment NAME --image=IMAGE');
  if (name === undefined) throw new UsageError('NAME is required: lcctl create deployment NAME --image=IMAGE');
  const images = p.list('image');
  if (images.length === 0) throw new UsageError('required flag(s) "image" not set');
  if (command.length > 0 && images.length > 1) throw new UsageError('cannot specify multiple --image options and command');
  const port = p.int('port');
  const labels = { app: name };
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: p.str('namespace') || 'default', labels },
    spec: {
      replicas: p.int('replicas') ?? 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: images.map((image) => ({
            name: containerName(image), image,
            ...(command.length > 0 ? { command } : {}),
            ...(port !== undefined ? { ports: [{ containerPort: port }] } : {}),
          })),
        },
      },
    },
  };
  const dry = p.str('dry-run');
  const client = connect(p);
  await client.create('deployments', d, { dryRun: dry === 'server' || dry === 'client' });
  process.stdout.write(`deployment.apps/${name} created${dry && dry !== 'none' ? ` (${dry} dry run)` : ''}\n`);
  return 0;
}
