/** lcctl create job NAME --image=IMG [-- COMMAND [ARGS...]]: a one-pod Job as kubectl makes it. */
import type { Job } from '../../api/schema/job.js';
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { createJobFrom } from './create-cronjob.js';

/** The Job kubectl create job makes: one container named after the Job, restartPolicy Never. */
export function jobFor(name: string, namespace: string, image: string, command: string[]): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name, image, ...(command.length > 0 ? { command } : {}) }] } } },
  };
}

/** Run `create job`; p.args is ["job", NAME, COMMAND...]. */
export async function createJob(p: Parsed): Promise<number> {
  const [, name, ...command] = p.args;
  if (name === undefined) throw new UsageError('NAME is required: lcctl create job NAME --image=IMAGE [-- COMMAND [ARGS...]]');
  const from = p.str('from');
  if (from) return createJobFrom(p, name, from);
  const images = p.list('image');
  if (images.length !== 1) throw new UsageError(images.length === 0 ? 'required flag(s) "image" not set' : 'create job takes one --image');
  const dry = p.str('dry-run');
  await connect(p).create('jobs', jobFor(name, p.str('namespace') || 'default', images[0]!, command), { dryRun: dry === 'server' || dry === 'client' });
  process.stdout.write(`job.batch/${name} created${dry && dry !== 'none' ? ` (${dry} dry run)` : ''}\n`);
  return 0;
}
