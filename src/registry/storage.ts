import { mkdir, readFile, readdir, rm, stat, rename, utimes } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, writeFileAtomic } from './atomic.js';
import { parseDigest, type Digest } from './names.js';
import { RegistryError } from './errors.js';
import type { ManifestRefs } from './manifest.js';

/** A stored manifest: its exact bytes, digest and media type. */
export interface StoredManifest { digest: string; mediaType: string; bytes: Buffer }

const exists = async (p: string): Promise<boolean> => { try { await stat(p); return true; } catch { return false; } };

/**
 * The on-disk registry (see README): content-addressed blobs shared by all repositories, and per
 * repository link files saying which blobs and manifests it holds, plus tag files naming a digest.
 */
export class RegistryStorage {
  readonly tmpDir: string;
  readonly uploadsDir: string;
  /** Serialises manifest writes with garbage collection (see exclusive). */
  private tail: Promise<unknown> = Promise.resolve();
  /** Told of each manifest pushed (name, digest) once stored: scan on push. It must not throw or block. */
  onManifestStored: ((name: string, digest: string) => void) | undefined;
  /** The last scan-on-push summary of a digest (GET /v2/NAME/_scan/REF); undefined: scan on push is off. */
  scanSummary: ((digest: string) => Promise<object | undefined>) | undefined;

  private constructor(readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
    this.uploadsDir = path.join(root, 'uploads');
  }

  /** Create the layout and wipe tmp/ (only half-written files live there). */
  static async open(root: string): Promise<RegistryStorage> {
    const s = new RegistryStorage(root);
    await rm(s.tmpDir, { recursive: true, force: true });
    for (const d of [s.tmpDir, s.uploadsDir, path.join(root, 'blobs', 'sha256'), path.join(root, 'repositories')]) await mkdir(d, { recursive: true });
    return s;
  }

  blobPath(d: Digest): string { return path.join(this.root, 'blobs', d.algorithm, d.hex); }
  private repoDir(name: string): string { return path.join(this.root, 'repositories', ...name.split('/')); }
  private layerLink(name: string, d: Digest): string { return path.join(this.repoDir(name), '_layers', d.algorithm, d.hex); }
  private revisionLink(name: string, d: Digest): string { return path.join(this.repoDir(name), '_manifests', 'revisions', d.algorithm, d.hex); }
  private tagsDir(name: string): string { return path.join(this.repoDir(name), '_manifests', 'tags'); }

  /** The blob's size when `name` holds it; undefined otherwise. */
  async blobSize(name: string, d: Digest): Promise<number | undefined> {
    if (!(await exists(this.layerLink(name, d)))) return undefined;
    try { return (await stat(this.blobPath(d))).size; } catch { return undefined; }
  }

  /** Move a verified file into the blob store under its digest (crash safe) and link it into `name`. */
  async commitBlob(name: string, d: Digest, verifiedFile: string): Promise<void> {
    const dest = this.blobPath(d);
    if (await exists(dest)) await rm(verifiedFile, { force: true });
    else { await rename(verifiedFile, dest); await fsyncDir(path.dirname(dest)); }
    await this.linkBlob(name, d);
  }

  /**
   * Record that `name` holds a blob already in the store. The blob's time is set to now: a push that
   * reuses an old unreferenced blob gets the garbage collector's grace period for its manifest too.
   */
  async linkBlob(name: string, d: Digest): Promise<void> {
    const now = new Date();
    await utimes(this.blobPath(d), now, now).catch(() => undefined);
    const link = this.layerLink(name, d);
    if (await exists(link)) return;
    await mkdir(path.dirname(link), { recursive: true });
    await writeFileAtomic(this.tmpDir, link, d.text);
  }

  /** Forget that `name` holds a blob; the bytes stay until a GC (see README). False when it held none. */
  async unlinkBlob(name: string, d: Digest): Promise<boolean> {
    const link = this.layerLink(name, d);
    if (!(await exists(link))) return false;
    await rm(link, { force: true });
    return true;
  }

  /** True when `name` holds the manifest `d`. */
  hasManifest(name: string, d: Digest): Promise<boolean> { return exists(this.revisionLink(name, d)); }

  /**
   * Runs fn alone among manifest writes and garbage collections: a manifest's check that its blobs
   * are present and its write happen with no collection in between, so a collection can never delete
   * a blob under a manifest it did not see.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.then(() => undefined, () => undefined);
    return run;
  }

  /**
   * Store a manifest whose references were parsed (refs), after checking that every blob and child
   * manifest it names is in `name` (MANIFEST_BLOB_UNKNOWN otherwise), and point `tag` at it.
   */
  storeManifest(name: string, d: Digest, refs: ManifestRefs, bytes: Buffer, tag?: string): Promise<void> {
    return this.exclusive(async () => {
      const missing: string[] = [];
      for (const b of refs.blobs) if ((await this.blobSize(name, b)) === undefined) missing.push(b.text);
      for (const m of refs.manifests) if (!(await this.hasManifest(name, m))) missing.push(m.text);
      if (missing.length > 0) {
        throw new RegistryError('MANIFEST_BLOB_UNKNOWN', `manifest references ${missing.length === 1 ? 'a blob' : `${missing.length} blobs`} not in repository "${name}": ${missing.join(', ')}; push ${missing.length === 1 ? 'it' : 'them'} first`, missing.map((digest) => ({ digest })));
      }
      await this.putManifest(name, d, refs.mediaType, bytes, tag);
      try { this.onManifestStored?.(name, d.text); } catch { /* a listener never fails the push */ }
    });
  }

  /** Store a manifest's exact bytes, link it into `name`, and point `tag` at it when given (no checks). */
  async putManifest(name: string, d: Digest, mediaType: string, bytes: Buffer, tag?: string): Promise<void> {
    const blob = this.blobPath(d);
    if (!(await exists(blob))) await writeFileAtomic(this.tmpDir, blob, bytes);
    const link = this.revisionLink(name, d);
    await mkdir(path.dirname(link), { recursive: true });
    await writeFileAtomic(this.tmpDir, link, mediaType);
    if (tag !== undefined) {
      await mkdir(this.tagsDir(name), { recursive: true });
      await writeFileAtomic(this.tmpDir, path.join(this.tagsDir(name), tag), d.text);
    }
  }

  /** The digest a tag names in `name`, if any. */
  async resolveTag(name: string, tag: string): Promise<Digest | undefined> {
    try { return parseDigest((await readFile(path.join(this.tagsDir(name), tag), 'utf8')).trim()); } catch { return undefined; }
  }

  /** A manifest of `name` by digest, or undefined. */
  async getManifest(name: string, d: Digest): Promise<StoredManifest | undefined> {
    let mediaType: string;
    try { mediaType = (await readFile(this.revisionLink(name, d), 'utf8')).trim(); } catch { return undefined; }
    return { digest: d.text, mediaType, bytes: await readFile(this.blobPath(d)) };
  }

  /** Delete a tag; false when there was none. */
  async deleteTag(name: string, tag: string): Promise<boolean> {
    const file = path.join(this.tagsDir(name), tag);
    if (!(await exists(file))) return false;
    await rm(file, { force: true });
    return true;
  }

  /** Unlink a manifest from `name` together with every tag naming it; false when it held none. */
  async deleteManifest(name: string, d: Digest): Promise<boolean> {
    const link = this.revisionLink(name, d);
    if (!(await exists(link))) return false;
    for (const tag of (await this.tags(name)) ?? []) {
      if ((await this.resolveTag(name, tag))?.text === d.text) await rm(path.join(this.tagsDir(name), tag), { force: true });
    }
    await rm(link, { force: true });
    return true;
  }

  /** The sorted tags of `name`; undefined when the repository does not exist. */
  async tags(name: string): Promise<string[] | undefined> {
    const dir = this.repoDir(name);
    if (!(await exists(path.join(dir, '_manifests'))) && !(await exists(path.join(dir, '_layers')))) return undefined;
    try { return (await readdir(this.tagsDir(name))).sort(); } catch { return []; }
  }

  /** The manifests `name` holds (by digest). */
  manifestDigests(name: string): Promise<Digest[]> { return digestsIn(path.join(this.repoDir(name), '_manifests', 'revisions', 'sha256')); }

  /** The blobs `name` holds links to. */
  linkedBlobs(name: string): Promise<Digest[]> { return digestsIn(path.join(this.repoDir(name), '_layers', 'sha256')); }

  /** Every stored blob (layers, configs and manifests alike) with its size and modification time. */
  async blobs(): Promise<{ digest: Digest; size: number; mtimeMs: number }[]> {
    const out: { digest: Digest; size: number; mtimeMs: number }[] = [];
    for (const d of await digestsIn(path.join(this.root, 'blobs', 'sha256'))) {
      try { const st = await stat(this.blobPath(d)); out.push({ digest: d, size: st.size, mtimeMs: st.mtimeMs }); } catch { /* gone meanwhile */ }
    }
    return out;
  }

  /** Delete a blob's bytes (garbage collection; its links are unlinked by the caller). */
  async removeBlob(d: Digest): Promise<void> { await rm(this.blobPath(d), { force: true }); }

  /** Every repository name, sorted (a directory holding _manifests or _layers is a repository). */
  async repositories(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (dir: string, prefix: string): Promise<void> => {
      let entries: string[];
      try { entries = await readdir(dir); } catch { return; }
      if (prefix && (entries.includes('_manifests') || entries.includes('_layers'))) out.push(prefix);
      for (const e of entries) if (!e.startsWith('_')) await walk(path.join(dir, e), prefix ? `${prefix}/${e}` : e);
    };
    await walk(path.join(this.root, 'repositories'), '');
    return out.sort();
  }
}

/** The sha256 digests named by the files of dir (none when it does not exist; other names are skipped). */
async function digestsIn(dir: string): Promise<Digest[]> {
  let names: string[];
  try { names = await readdir(dir); } catch { return []; }
  return names.filter((n) => /^[0-9a-f]{64}$/.test(n)).map((hex) => parseDigest(`sha256:${hex}`));
}
