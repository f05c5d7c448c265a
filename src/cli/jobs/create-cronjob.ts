/**
 * lcctl create cronjob NAME --image=IMG --schedule='*\/1 * * * *' [-- COMMAND [ARGS...]], and
 * lcctl create job NAME --from=cronjob/CJ (a Job from a CronJob's template now, as kubectl makes it).
 */
import type { CronJob } from '../../api/schema/cronjob.js';
import type { Job } from '../../api/schema/job.js';
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveKind } from '../../api/kinds/names.js';

/** The CronJob kubectl create cronjob makes: one container named after it, restartPolicy OnFailure. */
export function cronJobFor(name: string, namespace: string, image: string, schedule: string, command: string[]): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace },
    spec: { schedule, jobTemplate: { metadata: { name }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name, image, ...(command.length > 0 ? { command } : {}) }] } } } } },
  };
}

/** The Job kubectl makes from a CronJob: its template, owned by it, annotated cronjob.kubernetes.io/instantiate=manual. */
export function jobFromCronJob(name: string, cj: CronJob): Job {
  const t = cj.spec.jobTemplate;
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name, namespace: cj.metadata.namespace, labels: { ...t.metadata?.labels },
      annotations: { ...t.metadata?.annotations, 'cronjob.kubernetes.io/instantiate': 'manual' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    spec: structuredClone(t.spec),
  };
}

const dryRun = (p: Parsed): { dry: string | undefined; opts: { dryRun: boolean }; note: string } => {
  const dry = p.str('dry-run');
  return { dry, opts: { dryRun: dry === 'server' || dry === 'client' }, note: dry && dry !== 'none' ? ` (${dry} dry run)` : '' };
};

/** Run `create cronjob`; p.args is ["cronjob", NAME, COMMAND...]. */
export async function createCronJob(p: Parsed): Promise<number> {
  const [, name, ...command] = p.args;
  if (name === undefined) throw new UsageError("NAME is required: lcctl create cronjob NAME --image=IMAGE --schedule='*/1 * * * *' [-- COMMAND [ARGS...]]");
  const images = p.list('image');
  if (images.length !== 1) throw new UsageError(images.length === 0 ? 'required flag(s) "image" not set' : 'create cronjob takes one --image');
  const schedule = p.str('schedule');
  if (!schedule) throw new UsageError('required flag(s) "schedule" not set: five cron fields such as \'*/5 * * * *\', or @hourly');
  const d = dryRun(p);
  await connect(p).create('cronjobs', cronJobFor(name, p.str('namespace') || 'default', images[0]!, schedule, command), d.opts);
  process.stdout.write(`cronjob.batch/${name} created${d.note}\n`);
  return 0;
}

/** Run `create job NAME --from=cronjob/CJ`. */
export async function createJobFrom(p: Parsed, name: string, from: string): Promise<number> {
  const [kind, source] = from.split('/');
  if (source === undefined || resolveKind(kind ?? '')?.resource !== 'cronjobs') throw new UsageError(`--from must be cronjob/NAME, got ${JSON.stringify(from)}`);
  const client = connect(p);
  const cj = await client.get<CronJob>('cronjobs', source, p.str('namespace') || 'default');
  const d = dryRun(p);
  await client.create('jobs', jobFromCronJob(name, cj), d.opts);
  process.stdout.write(`job.batch/${name} created${d.note}\n`);
  return 0;
}
