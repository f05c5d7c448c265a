/**
 * The kubelet's plugin watcher: a driver drops a registration socket in DATA_DIR/plugins_registry/;
 * Lantern dials it, asks GetInfo (type, name, endpoint, versions), hands it to the handler for its
 * type and answers NotifyRegistrationStatus. A socket that goes away (or is made anew, as a restarted
 * driver does) deregisters the plugin.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { csiProtos, unixTarget } from './proto.js';

/** What a plugin says at registration (kubelet's PluginInfo). */
export interface PluginInfo { type: string; name: string; endpoint: string; supportedVersions: string[] }

/** Registers plugins of one type; throws with a clear message to refuse one. */
export interface PluginHandler {
  register(info: PluginInfo, socket: string): Promise<void>;
  deregister(name: string): void;
}

/** Options of the watcher. */
export interface PluginWatcherOptions {
  dir: string;
  handlers: Record<string, PluginHandler>;
  log: (msg: string) => void;
  /** How often the folder is listed again besides fs.watch's hints (ms). */
  rescanMs?: number;
}

interface Known { ino: number; name?: string; type?: string; retryAt?: number }

type Unary = (req: object, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

function unary<T>(client: grpc.Client, method: string, req: object): Promise<T> {
  const fn = (client as unknown as Record<string, Unary>)[method]!;
  return new Promise((resolve, reject) => {
    fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (err, res) => (err ? reject(err) : resolve(res as T)));
  });
}

/** Watches the registration folder and (de)registers plugins through their handlers. */
export class PluginWatcher {
  private readonly known = new Map<string, Known>();
  private fsWatcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();
  private again = false;
  private stopped = false;

  constructor(private readonly opts: PluginWatcherOptions) {}

  /** Creates the folder, registers what is there and follows it. */
  async start(): Promise<void> {
    await mkdir(this.opts.dir, { recursive: true, mode: 0o750 });
    try {
      this.fsWatcher = watch(this.opts.dir, () => this.kick());
      this.fsWatcher.on('error', () => undefined);
    } catch { /* the periodic rescan still works */ }
    this.timer = setInterval(() => this.kick(), this.opts.rescanMs ?? 1000);
    this.timer.unref();
    this.kick();
    await this.scanning;
  }

  /** Stops following the folder; registered plugins stay registered. */
  stop(): void {
    this.stopped = true;
    this.fsWatcher?.close();
    if (this.timer) clearInterval(this.timer);
  }

  /** Waits for the scan in progress (tests). */
  settled(): Promise<void> { return this.scanning; }

  private kick(): void {
    if (this.stopped) return;
    if (this.again) return;
    this.again = true;
    this.scanning = this.scanning.then(async () => { this.again = false; await this.scan(); }).catch((e: unknown) => this.opts.log(`plugin scan: ${String(e)}`));
  }

  private async scan(): Promise<void> {
    const names = await readdir(this.opts.dir).catch(() => [] as string[]);
    const present = new Map<string, number>();
    for (const n of names) {
      const p = path.join(this.opts.dir, n);
      const st = await stat(p).catch(() => undefined);
      if (st?.isSocket()) present.set(p, st.ino);
    }
    for (const [p, k] of [...this.known]) {
      if (present.get(p) === k.ino) continue;
      this.known.delete(p);
      if (k.name && k.type) { this.opts.handlers[k.type]?.deregister(k.name); this.opts.log(`plugin ${k.name} deregistered (${path.basename(p)} gone)`); }
    }
    for (const [p, ino] of present) {
      const k = this.known.get(p);
      if (this.stopped || (k && (k.retryAt === undefined || k.retryAt > Date.now()))) continue;
      if (!k) this.known.set(p, { ino });
      await this.register(p, ino);
    }
  }

  private async register(socket: string, ino: number): Promise<void> {
    const client = new (csiProtos().Registration)(unixTarget(socket), grpc.credentials.createInsecure());
    try {
      const info = await unary<PluginInfo>(client, 'GetInfo', {});
      const handler = this.opts.handlers[info.type];
      let error = '';
      if (!handler) error = `plugin type ${JSON.stringify(info.type)} is not supported here (expected one of ${Object.keys(this.opts.handlers).join(', ')})`;
      else {
        try {
          await handler.register(info, socket);
          this.known.set(socket, { ino, name: info.name, type: info.type });
          this.opts.log(`plugin ${info.name} (${info.type}) registered from ${path.basename(socket)}`);
        } catch (e) { error = e instanceof Error ? e.message : String(e); }
      }
      if (error) this.opts.log(`plugin at ${path.basename(socket)} refused: ${error}`);
      await unary(client, 'NotifyRegistrationStatus', { pluginRegistered: error === '', error }).catch(() => undefined);
    } catch (e) {
      // Not answering (a driver still starting, or a dead driver's socket): try again in a while, logging once.
      const first = this.known.get(socket)?.retryAt === undefined;
      this.known.set(socket, { ino, retryAt: Date.now() + 5000 });
      if (first) this.opts.log(`plugin at ${path.basename(socket)} did not answer GetInfo (retrying every 5s): ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      client.close();
    }
  }
}
