/** The server's SQLite store and what keeps it in shape: compaction and the health probe. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openSqliteStore, type SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { StoreCompactor } from '../../server/compactor.js';
import { StoreHealth } from '../../server/store-health.js';
import type { ServerConfig } from '../server-config.js';
import { started, type Component } from './component.js';
import { compactorKey, storeHealthKey, storeKey } from './keys.js';

/** Opens the store; closing it is the server's last step before it exits. */
export const store: Component<ServerConfig, SqliteStore> = {
  key: storeKey,
  requires: [],
  async start({ config }) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    const s = await openSqliteStore(path.join(config.dataDir, 'state.db'));
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
