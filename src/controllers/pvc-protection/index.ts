/** pvc-protection and pv-protection: a claim or volume in use is not deleted under its user. */
export { PvcProtectionController, type PvcProtectionControllerOptions } from './controller.js';
export { podsUsing, claimNamesOf } from './plan.js';
