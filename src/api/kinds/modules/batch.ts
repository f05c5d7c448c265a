/**
 * The batch/v1 group: Job and CronJob. Each kind's module: names, scope, subresources, fields, and where its
 * table and describe view are.
 */
import type { Job } from '../../schema/job.js';
import type { CronJob } from '../../schema/cronjob.js';
import { defineKind } from '../module.js';

/** The Job kind (batch/v1, namespaced): pods run to completion. */
export const jobModule = defineKind<Job>({
  kind: 'Job', resource: 'jobs', singular: 'job', shortNames: [], namespaced: true, group: 'batch', version: 'v1',
  subresources: { status: true },
  selectableFields: (o) => ({ 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' }),
  table: async () => (await import('../../printers/job.js')).jobTable,
  describe: async () => (await import('../../printers/job-describe.js')).jobDescriber,
});

/** The CronJob kind (batch/v1, namespaced): Jobs on a cron schedule. */
export const cronJobModule = defineKind<CronJob>({
  kind: 'CronJob', resource: 'cronjobs', singular: 'cronjob', shortNames: ['cj'], namespaced: true, group: 'batch', version: 'v1',
  subresources: { status: true },
  selectableFields: (o) => ({ 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' }),
  table: async () => (await import('../../printers/cronjob.js')).cronJobTable,
  describe: async () => (await import('../../printers/cronjob-describe.js')).cronJobDescriber,
});
