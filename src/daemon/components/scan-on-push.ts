/** Scan on push (--scan-on-push): the built-in registry tells a PushScanner of each manifest it stores. */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { PushScanner } from '../../image/scan/on-push.js';
import { parseDigest } from '../../registry/index.js';
import type { ServerConfig } from '../server-config.js';
import { key, type Component } from './component.js';
import { registryKey } from './keys.js';

/** The server's push scanner (summaries under DATA_DIR/registry-scans). */
export const scanOnPushKey = key<PushScanner>('scan-on-push');

/** On with --scan-on-push; stopping waits for the scan under way (the queue is dropped). */
export const scanOnPush: Component<ServerConfig, PushScanner> = {
  key: scanOnPushKey,
  requires: [registryKey],
  enabled: (config) => config.scanOnPush !== undefined,
  start({ config, get }) {
    const { storage } = get(registryKey);
    const scanner = new PushScanner({
      manifest: async (repo, digest) => (await storage.getManifest(repo, parseDigest(digest)))?.bytes,
      blob: (digest) => createReadStream(storage.blobPath(parseDigest(digest))),
    }, { dbDir: config.scanOnPush!.dbDir, resultsDir: path.join(config.dataDir, 'registry-scans') });
    storage.onManifestStored = (name, digest) => scanner.pushed(name, digest);
    storage.scanSummary = (digest) => scanner.summary(digest);
    return { value: scanner, stop: async () => { storage.onManifestStored = undefined; storage.scanSummary = undefined; await scanner.stop(); } };
  },
};
