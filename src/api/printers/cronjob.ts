/** `get cronjobs`: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE [CONTAINERS IMAGES SELECTOR], as kubectl prints them. */
import type { CronJob } from '../schema/cronjob.js';
import { kubeAge } from './age.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** The CronJob table. */
export const cronJobTable: TableDefinition<CronJob> = {
  columns: [
    nameColumn,
    column<CronJob>('Schedule', (c) => c.spec.schedule),
    column<CronJob>('Timezone', (c) => c.spec.timeZone ?? '<none>'),
    column<CronJob>('Suspend', (c) => (c.spec.suspend ? 'True' : 'False')),
    column<CronJob>('Active', (c) => String(c.status?.active?.length ?? 0), 0, 'integer'),
    column<CronJob>('Last Schedule', (c, now) => (c.status?.lastScheduleTime ? kubeAge(c.status.lastScheduleTime, now) : '<none>')),
    ageColumn,
    column<CronJob>('Containers', (c) => c.spec.jobTemplate.spec.template.spec.containers.map((x) => x.name).join(','), 1),
    column<CronJob>('Images', (c) => c.spec.jobTemplate.spec.template.spec.containers.map((x) => x.image).join(','), 1),
    column<CronJob>('Selector', (c) => Object.entries(c.spec.jobTemplate.spec.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>', 1),
  ],
};
