export { JobController, type JobControllerOptions } from './controller.js';
export { planJob, podsWanted, type JobPlan } from './plan.js';
