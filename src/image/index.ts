/** Public surface of the node image store. */
export type { ImageRecord, ImageRunConfig, ImageStore } from './types.js';
export { OciImageStore, openImageStore, type ImageStoreOptions, type PruneResult, type RemoveOptions } from './store.js';
export type { GcResult, InUseHook } from './gc.js';
export { normalizeReference, normalizeTag, parseReference, formatReference, type ImageReference } from './reference.js';
export { nodePlatform, ociArch, type Platform } from './platform.js';
