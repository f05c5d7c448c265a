/** The CronJob controller: Jobs on a cron schedule (batch/v1). */
export { CronJobController, type CronJobControllerOptions, scheduledTimestampAnnotation } from './controller.js';
export { planCronJob, jobNameFor, type CronPlan } from './plan.js';
