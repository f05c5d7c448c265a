export { WorkflowController, type WorkflowControllerOptions } from './controller.js';
export { reconcileWorkflow, jobPhase, type LogReader } from './reconcile.js';
export { readySteps, stepsToSkip, settleSkips, workflowPhase } from './dag.js';
export { WorkflowLabels, stepJob, stepJobName, workspaceMount } from './step-job.js';
