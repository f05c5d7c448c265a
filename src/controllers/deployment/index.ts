export { DeploymentController, type DeploymentControllerOptions } from './controller.js';
export { templateHash, templateHashLabel, sameTemplate, stableStringify, withoutHashLabel } from './template-hash.js';
export { rollingStep, scaleUpNew, scaleDownOld, type RsCounts, type RollingInput } from './rolling.js';
export { revisionAnnotation, changeCauseAnnotation, revisionOf, maxRevision } from './revision.js';
export { deploymentStatus, isComplete } from './status.js';
