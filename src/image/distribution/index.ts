/** Pull and push over the OCI distribution API. */
export { pullImage, type PullOptions } from './pull.js';
export { pushImage, type PushResult } from './push.js';
export { parsePlatform, selectPlatform, manifestAccept } from './manifest.js';
export { RegistryClient, repoScope } from './registry.js';
export type { TransferOptions, TransferProgress } from './types.js';
export { serverRegistryName, serverRegistryReference, type ServerRegistryName } from './server-name.js';
