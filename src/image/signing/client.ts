/** The registry client and reference parser the signing verbs use, re-exported for lcctl (its one door into image/). */
export { RegistryClient } from '../distribution/registry.js';
export { parseReference } from '../reference.js';
