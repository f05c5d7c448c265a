/** The PersistentVolume controller: binding, dynamic provisioning, reclaiming, expansion. */
export { PersistentVolumeController, type PersistentVolumeControllerOptions } from './controller.js';
export { builtinProvisioners, ProvisioningError, type Provisioner } from './provisioner.js';
export { LocalPathProvisioner, localPathDirName } from './local-path.js';
export { defaultStorageClass, ensureDefaultStorageClass } from './default-class.js';
export { findVolumeFor, mismatch, volumePhase, claimRefMatches } from './plan.js';
