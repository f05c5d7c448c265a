/** The built-in image registry (served under /v2/ by the HTTP server), its garbage collection and the mirror. */
import path from 'node:path';
import { openBuiltinRegistry } from '../../registry/index.js';
import { scheduleRegistryGc } from '../registry-gc.js';
import { RegistryMirror } from '../registry-mirror.js';
import type { ServerConfig } from '../server-config.js';
import type { Component } from './component.js';
import { nodeKey, registryGcKey, registryKey, registryMirrorKey } from './keys.js';

/** DATA_DIR/registry: its HTTP handler, local access, and garbage collection. */
export type BuiltinRegistry = Awaited<ReturnType<typeof openBuiltinRegistry>>;

/** Opens the registry. */
export const registry: Component<ServerConfig, BuiltinRegistry> = {
  key: registryKey,
  requires: [],
  start: async ({ config }) => ({ value: await openBuiltinRegistry(path.join(config.dataDir, 'registry')) }),
};

/** Deletes unreferenced blobs older than an hour, every --registry-gc-interval. */
export const registryGc: Component<ServerConfig, void> = {
  key: registryGcKey,
  requires: [registryKey],
  enabled: (config) => config.registryGcMs > 0,
  start: ({ get, config }) => ({ value: undefined, stop: scheduleRegistryGc(get(registryKey).collectGarbage, config.registryGcMs, (m) => console.error(`lanternd: ${m}`)) }),
};

/** Images of this node also go into the built-in registry (at start and on each change). */
export const registryMirror: Component<ServerConfig, RegistryMirror> = {
  key: registryMirrorKey,
  requires: [nodeKey, registryKey],
  enabled: (config) => config.node !== undefined,
  start({ get }) {
    const mirror = new RegistryMirror(get(nodeKey).components.images, get(registryKey).local);
    void mirror.start();
    return { value: mirror, stop: () => mirror.stop() };
  },
};
