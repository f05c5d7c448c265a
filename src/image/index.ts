/** Public surface of the node image store: the interfaces, the on-disk implementation, references and platforms. */
export type {
  ActiveSnapshot, BlobExpect, BlobInfo, ContentStore, ImageIndex, ImageRecord, ImageRunConfig, ImageStore, PruneResult,
  PulledImage, RemovedImage, RemoveOptions, SnapshotInfo, SnapshotUsage, Snapshotter,
} from './types.js';
export { OciImageStore, openImageStore, type ImageStoreOptions } from './store.js';
export type { GcResult, InUseHook } from './gc.js';
export { normalizeReference, normalizeTag, parseReference, formatReference, type ImageReference } from './reference.js';
export { nodePlatform, ociArch, type Platform } from './platform.js';
