/** The built-in image registry (served under /v2/ by the HTTP server), its garbage collection and the mirror. */
import path from 'node:path';
import { openBuiltinRegistry } from '../../registry/index.js';
import { scheduleRegistryGc } from '../registry-gc.js';
import { RegistryMirror } from '../registry-mirror.js';
import { RegistryHa } from '../registry-ha/registry-ha.js';
import type { ServerConfig } from '../server-config.js';
import type { Component } from './component.js';
import { credentialsKey, nodeKey, registryGcKey, registryKey, registryMirrorKey, securityKey, storeKey } from './keys.js';

/** DATA_DIR/registry: its HTTP handler, local access, and garbage collection. */
export type BuiltinRegistry = Awaited<ReturnType<typeof openBuiltinRegistry>>;

/** Opens the registry; with a shared store (etcd) it serves what its peer servers hold too (registry-ha/). */
export const registry: Component<ServerConfig, BuiltinRegistry> = {
  key: registryKey,
  requires: [storeKey, credentialsKey, securityKey],
  async start({ config, get }) {
    const opened = await openBuiltinRegistry(path.join(config.dataDir, 'registry'));
    if (config.datastore?.etcd === undefined) return { value: opened };
    const ha = new RegistryHa(opened);
    const admin = get(credentialsKey).admin;
    const security = get(securityKey);
    ha.attach({ store: get(storeKey), token: () => admin.token, ca: security.tls ? security.caCert : undefined });
    return { value: { ...opened, handler: ha.handler } };
  },
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
