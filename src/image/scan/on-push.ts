/**
 * Scan on push (`lanternd server --scan-on-push`): when the built-in registry stores an image
 * manifest, its layers are scanned in the background (the same scanner as `lcctl image scan`) against
 * the server's database (`--scan-db-dir`, default DATA_DIR/scan-db, filled with `lcctl image scan db
 * import` pointed at that directory) and a summary is kept per digest on disk. The queue is bounded:
 * beyond it a push is recorded as not scanned. A failure is recorded, never fails the push.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { nodePlatform, platformMatches } from '../platform.js';
import type { Platform } from '../platform.js';
import { loadDb } from './db.js';
import { readLayerFiles } from './layers.js';
import { AdvisoryIndex } from './match.js';
import { scanFiles } from './scan.js';
import { SEVERITIES, type Severity } from './types.js';

/** What the scanner reads of the registry: a manifest's bytes and a blob's stream. */
export interface StoredImages {
  manifest(repo: string, digest: string): Promise<Buffer | undefined>;
  blob(digest: string): Readable;
}

/** The last scan of one manifest digest: counts per severity, when, the database's age; or why not. */
export interface ScanSummary {
  digest: string;
  repository: string;
  /** "scanned", "failed" (error says why) or "skipped" (queue full). */
  state: 'scanned' | 'failed' | 'skipped';
  scannedAt: string;
  /** When the database used was imported (absent: none imported). */
  dbImportedAt?: string;
  counts?: Record<Severity, number>;
  /** The platform manifest scanned when the pushed digest is an index. */
  scannedManifest?: string;
  error?: string;
}

/** Settings: the database directory, where summaries live, the queue bound, the clock. */
export interface PushScannerOptions { dbDir: string; resultsDir: string; queueLimit?: number; now?: () => Date; platform?: Platform }

const MAX_JSON = 4 << 20;
const asDoc = (bytes: Buffer, what: string): Record<string, unknown> => {
  if (bytes.length > MAX_JSON) throw new Error(`${what} is larger than ${MAX_JSON} bytes`);
  const d = JSON.parse(bytes.toString('utf8')) as unknown;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new Error(`${what} is not a JSON object`);
  return d as Record<string, unknown>;
};
const digestsOf = (list: unknown, what: string): Array<{ digest: string; platform?: Platform }> => {
  if (!Array.isArray(list)) throw new Error(`${what}: expected an array`);
  return list.map((d: unknown, i) => {
    const o = d as { digest?: unknown; platform?: Platform } | null;
    if (!o || typeof o.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(o.digest)) throw new Error(`${what}[${i}].digest: expected sha256:<64 hex>`);
    return { digest: o.digest, ...(o.platform ? { platform: o.platform } : {}) };
  });
};

/** Scans pushed manifests one at a time in the background and keeps their summaries. */
export class PushScanner {
  private readonly queue: Array<{ repo: string; digest: string }> = [];
  private running: Promise<void> | undefined;

  constructor(private readonly images: StoredImages, private readonly opts: PushScannerOptions) {}

  /** Queues repo@digest (called after the registry stored it); never throws. */
  pushed(repo: string, digest: string): void {
    if (this.queue.length >= (this.opts.queueLimit ?? 64)) {
      void this.save({ digest, repository: repo, state: 'skipped', scannedAt: this.now(), error: `the scan queue is full (${this.opts.queueLimit ?? 64} waiting)` }).catch(() => undefined);
      return;
    }
    this.queue.push({ repo, digest });
    this.running ??= this.drain().finally(() => { this.running = undefined; });
  }

  /** Drops what waits and resolves when the scan under way ends (shutdown). */
  async stop(): Promise<void> { this.queue.length = 0; await this.idle(); }

  /** Resolves when the queue is empty (tests, shutdown). */
  async idle(): Promise<void> { while (this.running) await this.running; }

  /** The last summary for digest, or undefined when it was never scanned. */
  async summary(digest: string): Promise<ScanSummary | undefined> {
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
    try { return JSON.parse(await readFile(this.file(digest), 'utf8')) as ScanSummary; } catch { return undefined; }
  }

  private now(): string { return (this.opts.now?.() ?? new Date()).toISOString(); }
  private file(digest: string): string { return join(this.opts.resultsDir, `${digest.replace(':', '-')}.json`); }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      let s: ScanSummary;
      try { s = await this.scan(job.repo, job.digest); } catch (e) {
        s = { digest: job.digest, repository: job.repo, state: 'failed', scannedAt: this.now(), error: (e as Error).message };
      }
      await this.save(s).catch(() => undefined);
    }
  }

  private async scan(repo: string, digest: string): Promise<ScanSummary> {
    const db = await loadDb(this.opts.dbDir);
    if (!db) throw new Error(`no vulnerability database in ${this.opts.dbDir}: import one with "lcctl image scan db import --db-dir ${this.opts.dbDir} FILE"`);
    let target = digest;
    let doc = await this.manifestDoc(repo, digest);
    if (Array.isArray(doc.manifests)) {
      // An index: the platform this server runs, else the first listed (attestations aside).
      const listed = digestsOf(doc.manifests, `manifest ${digest}.manifests`);
      const pick = listed.find((m) => m.platform && platformMatches(m.platform, this.opts.platform ?? nodePlatform())) ?? listed.find((m) => m.platform?.os !== 'unknown');
      if (!pick) throw new Error(`index ${digest} lists no image manifest`);
      target = pick.digest;
      doc = await this.manifestDoc(repo, target);
    }
    if (!Array.isArray(doc.layers)) return { digest, repository: repo, state: 'skipped', scannedAt: this.now(), error: 'not an image manifest (a signature or another artifact)' };
    const layers = digestsOf(doc.layers, `manifest ${target}.layers`).map((l, i) => ({ open: () => this.images.blob(l.digest), label: `layer ${i + 1} (${l.digest}) of ${repo}@${target}` }));
    const result = scanFiles(`${repo}@${digest}`, await readLayerFiles(layers), new AdvisoryIndex(db.advisories));
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const r of result.results) for (const f of r.findings) counts[f.severity]++;
    return { digest, repository: repo, state: 'scanned', scannedAt: this.now(), dbImportedAt: db.importedAt, counts, ...(target !== digest ? { scannedManifest: target } : {}) };
  }

  private async manifestDoc(repo: string, digest: string): Promise<Record<string, unknown>> {
    const bytes = await this.images.manifest(repo, digest);
    if (!bytes) throw new Error(`manifest ${digest} is not in repository "${repo}"`);
    return asDoc(bytes, `manifest ${digest}`);
  }

  private async save(s: ScanSummary): Promise<void> {
    await mkdir(this.opts.resultsDir, { recursive: true });
    const tmp = `${this.file(s.digest)}.tmp-${process.pid}`;
    await writeFile(tmp, JSON.stringify(s));
    await rename(tmp, this.file(s.digest));
  }
}
