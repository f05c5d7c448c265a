/** The server's store (SQLite, or etcd with --datastore-endpoint) and what keeps it in shape: compaction and the health probe. */
import { openServerStore, type ServerStore } from '../datastore.js';
import { StoreCompactor } from '../../server/compactor.js';
import { StoreHealth } from '../../server/store-health.js';
import type { ServerConfig } from '../server-config.js';
import { started, type Component } from './component.js';
import { compactorKey, embeddedEtcdKey, storeHealthKey, storeKey } from './keys.js';

/** Opens the store; closing it is the server's last step before it exits. */
export const store: Component<ServerConfig, ServerStore> = {
  key: storeKey,
  requires: [],
  optional: [embeddedEtcdKey],
  async start({ config }) {
    const s = await openServerStore(config.dataDir, config.datastore);
    return { value: s, stop: () => s.close() };
  },
};

/** Compaction of the store's history. */
export const compactor: Component<ServerConfig, StoreCompactor> = {
  key: compactorKey,
  requires: [storeKey],
  start: ({ get, config }) => started(new StoreCompactor(get(storeKey), config.compactionMs)),
};

/** The store's health probe. */
export const storeHealth: Component<ServerConfig, StoreHealth> = {
  key: storeHealthKey,
  requires: [storeKey],
  start: ({ get }) => ({ value: new StoreHealth(get(storeKey)) }),
};
