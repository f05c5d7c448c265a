/**
 * The audit log file: lines are queued and written in batches (one write per 10 ms, or sooner once
 * 256 KiB are queued; never one per request), and the file is rotated by size as kube-apiserver's lumberjack
 * does: FILE is renamed to NAME-<UTC time>.EXT and at most maxBackups such files are kept.
 *
 * Durability (kube-apiserver's log backend's, batched): no fsync. An event reaches the kernel
 * within 10 ms after its stage ended; a normal exit or SIGTERM flushes what is queued; SIGKILL can
 * lose the last 10 ms of events, a power loss what the page cache held.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** Where and how big. maxBytes 0: never rotate; maxBackups 0: keep every rotated file. */
export interface LogFileOptions { path: string; maxBytes: number; maxBackups: number }

/** How long lines wait to be written with others, and how many bytes make a write at once. */
const batchMs = 10;
const batchBytes = 256 * 1024;
/** Queued bytes past which new lines are dropped (the disk stopped taking them). */
const maxQueuedBytes = 64 * 1024 * 1024;

/** lumberjack's backup time format: 2006-01-02T15-04-05.000 (UTC). */
const backupTime = (d: Date): string => d.toISOString().replace(/Z$/, '').replace(/:/g, '-');

/** An append-only, size-rotated log of lines; '-' writes to stdout. */
export class LogFile {
  private queue: string[] = [];
  private queuedBytes = 0;
  private size = 0;
  private handle: FileHandle | undefined;
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  /** Lines dropped because the queue was full, and write errors. */
  dropped = 0;
  errors = 0;

  private constructor(private readonly opts: LogFileOptions) {}

  /** Open (append to) the file, creating it 0600. */
  static async open(opts: LogFileOptions): Promise<LogFile> {
    const f = new LogFile(opts);
    if (opts.path !== '-') {
      await mkdir(path.dirname(opts.path), { recursive: true, mode: 0o700 });
      await f.openFile();
    }
    return f;
  }

  private async openFile(): Promise<void> {
    this.handle = await open(this.opts.path, 'a', 0o600);
    this.size = (await this.handle.stat()).size;
  }

  /** Queue one line (without its newline). */
  write(line: string): void {
    if (this.queuedBytes > maxQueuedBytes) { this.dropped++; return; }
    this.queue.push(line);
    this.queuedBytes += line.length + 1;
    if (this.queuedBytes >= batchBytes) { void this.flush(); return; }
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => { this.scheduled = false; void this.flush(); }, batchMs).unref();
    }
  }

  /** Write what is queued; resolves once it reached the kernel. */
  flush(): Promise<void> {
    this.flushing = (this.flushing ?? Promise.resolve()).then(() => this.writeQueued()).catch((e: unknown) => {
      this.errors++;
      console.error(`lanternd: audit log ${this.opts.path}: ${e instanceof Error ? e.message : String(e)}`);
    });
    return this.flushing;
  }

  private async writeQueued(): Promise<void> {
    if (this.queue.length === 0) return;
    const data = Buffer.from(`${this.queue.join('\n')}\n`, 'utf8');
    this.queue = [];
    this.queuedBytes = 0;
    if (this.opts.path === '-') { process.stdout.write(data); return; }
    if (this.opts.maxBytes > 0 && this.size > 0 && this.size + data.length > this.opts.maxBytes) await this.rotate();
    if (!this.handle) await this.openFile();
    await this.handle!.write(data);
    this.size += data.length;
  }

  private async rotate(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    const { dir, name, ext } = path.parse(this.opts.path);
    await rename(this.opts.path, path.join(dir, `${name}-${backupTime(new Date())}${ext}`));
    await this.openFile();
    if (this.opts.maxBackups <= 0) return;
    const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}${ext.replace(/\./g, '\\.')}$`);
    const backups = (await readdir(dir)).filter((f) => pattern.test(f)).sort();
    for (const old of backups.slice(0, Math.max(0, backups.length - this.opts.maxBackups))) await rm(path.join(dir, old), { force: true });
  }

  /** Write the queue synchronously (process exit): appends to the file as it is now. */
  flushSync(): void {
    if (this.queue.length === 0) return;
    const data = `${this.queue.join('\n')}\n`;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.opts.path === '-') { process.stdout.write(data); return; }
    const fd = openSync(this.opts.path, 'a', 0o600);
    try { writeSync(fd, data); } finally { closeSync(fd); }
  }

  /** Flush and close. */
  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }
}
