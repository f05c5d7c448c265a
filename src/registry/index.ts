/** The built-in image registry (OCI distribution API under /v2/). */
export { openRegistry, type RegistryHandler, type RegistryCaller } from './handler.js';
export { RegistryError } from './errors.js';
export { LocalRegistry, openBuiltinRegistry } from './local.js';
export { collectRegistryGarbage, type RegistryGcOptions, type RegistryGcResult } from './gc.js';
export { sendRegistryError } from './errors.js';
export { parseManifest, MediaTypes } from './manifest.js';
export { parseRegistryPath, parseDigest, isTag } from './names.js';
export { readLimited } from './respond.js';
