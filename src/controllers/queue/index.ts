/** The queue controller: Kueue-style admission of Jobs with fair share (see README.md). */
export { QueueController, type QueueControllerOptions, type PassResult } from './controller.js';
export { planAdmission, dominantShare, type Plan, type PlanInput, type JobInfo, type QueueInfo } from './plan.js';
