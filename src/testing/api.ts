/** An in-process API over a real SQLite store in a temporary directory: what controller and server tests run against. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.js';
import { ApiService, type ApiServiceOptions } from '../server/api-service.js';

/** A running test API; close() closes the store and removes its directory. */
export interface TestApi {
  api: ApiService;
  store: SqliteStore;
  dir: string;
  /** Another ApiService over the same store, with other options (e.g. a second set of transformers). */
  apiWith(opts: ApiServiceOptions): ApiService;
  close(): Promise<void>;
}

/** Open a fresh store in a new temporary directory and an ApiService over it. */
export async function openTestApi(opts: ApiServiceOptions & { prefix?: string } = {}): Promise<TestApi> {
  const dir = await mkdtemp(join(tmpdir(), opts.prefix ?? 'lantern-test-'));
  const store = await openSqliteStore(join(dir, 'state.db'));
  const api = new ApiService(store, opts);
  return {
    api, store, dir,
    apiWith: (o) => new ApiService(store, o),
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Run fn against a fresh test API that is closed afterwards, even when fn fails. */
export async function withTestApi<T>(fn: (t: TestApi) => Promise<T>, opts?: ApiServiceOptions & { prefix?: string }): Promise<T> {
  const t = await openTestApi(opts);
  try { return await fn(t); } finally { await t.close(); }
}
