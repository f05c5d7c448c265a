import { join } from 'node:path';
import { hexOf } from './digest.js';

/** Where everything lives under the store's root directory. */
export class StoreLayout {
  constructor(readonly root: string) {}
  get blobsDir(): string { return join(this.root, 'blobs', 'sha256'); }
  get snapshotsDir(): string { return join(this.root, 'snapshots'); }
  /** Scratch space for imports; wiped when the store opens. */
  get tmpDir(): string { return join(this.root, 'tmp'); }
  get indexFile(): string { return join(this.root, 'images.json'); }
  /** Downloads in progress; kept across restarts (unlike tmp/) so an interrupted pull resumes. */
  get ingestDir(): string { return join(this.root, 'ingest'); }
  /** The partial download of a blob. */
  partial(digest: string): string { return join(this.ingestDir, `${hexOf(digest)}.partial`); }
  blob(digest: string): string { return join(this.blobsDir, hexOf(digest)); }
  /** Snapshots are keyed by layer diff ID: an overlay lower dir does not depend on its parents. */
  snapshot(diffId: string): string { return join(this.snapshotsDir, hexOf(diffId)); }
  /** Writable snapshots (a build step's rootfs), one dir per key: upper/, work/, rootfs/. */
  get activeDir(): string { return join(this.root, 'active'); }
  active(key: string): string { return join(this.activeDir, key); }
  /** The unpacked tree that goes into overlay's lowerdir. */
  snapshotFs(diffId: string): string { return join(this.snapshot(diffId), 'fs'); }
}
