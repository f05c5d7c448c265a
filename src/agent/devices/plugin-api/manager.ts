/**
 * kubelet's device manager side of the device plugin API: the Registration service on
 * DIR/kubelet.sock (DIR is DATA_DIR/device-plugins, as /var/lib/kubelet/device-plugins). A plugin
 * that registers gets a PluginProvider `plugin:<resource>`; its connection is followed until its
 * stream ends. Only root may reach the socket (directory 0700, socket 0600): registering a plugin
 * decides what containers get, so it needs the rights of the node itself.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { PluginConnection } from './connection.js';
import type { CdiResolver } from './edits.js';
import { PluginProvider } from './provider.js';
import { deviceApi, type RegisterRequest } from './proto.js';
import { registrationError } from './validate.js';

/** The registration socket's file name, as kubelet's. */
export const kubeletSocket = 'kubelet.sock';

/** Options of DevicePluginManager. */
export interface DevicePluginManagerOptions {
  /** The plugin directory (DATA_DIR/device-plugins). */
  dir: string;
  /** Resolves CDI names a plugin's Allocate answers with. */
  resolveCdi?: CdiResolver;
  /** A new resource registered for the first time (hand its provider to the node's DeviceRegistry). */
  onProvider?: (provider: PluginProvider) => void;
  /** Some plugin's devices or health changed (rediscover now rather than at the next tick). */
  onChange?: () => void;
  log?: (msg: string) => void;
}

/** The Registration server and the providers of the plugins that registered. */
export class DevicePluginManager {
  private server: grpc.Server | undefined;
  private readonly byResource = new Map<string, PluginProvider>();
  private readonly log: (msg: string) => void;

  constructor(private readonly opts: DevicePluginManagerOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  /** The registration socket's path. */
  get socketPath(): string { return path.join(this.opts.dir, kubeletSocket); }

  /** Every resource's provider so far (a dead plugin's stays, its devices unhealthy). */
  providers(): PluginProvider[] { return [...this.byResource.values()]; }

  /** Listen on DIR/kubelet.sock (a stale socket from an earlier run is replaced, so plugins re-register). */
  async start(): Promise<void> {
    await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    await chmod(this.opts.dir, 0o700);
    await rm(this.socketPath, { force: true });
    const server = new grpc.Server();
    server.addService(deviceApi().Registration.service, {
      Register: (call: grpc.ServerUnaryCall<RegisterRequest, object>, cb: grpc.sendUnaryData<object>) => {
        try {
          const err = this.register(call.request);
          if (err) cb({ code: grpc.status.INVALID_ARGUMENT, details: err });
          else cb(null, {});
        } catch (e) {
          cb({ code: grpc.status.INTERNAL, details: `registration failed: ${e instanceof Error ? e.message : String(e)}` });
        }
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.bindAsync(`unix:${this.socketPath}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve()));
    });
    await chmod(this.socketPath, 0o600);
    this.server = server;
  }

  /** Stop serving and close every plugin connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    for (const p of this.byResource.values()) await p.close();
    await rm(this.socketPath, { force: true });
  }

  /** Accept one registration: an error message when it is refused. */
  private register(req: RegisterRequest): string | undefined {
    const refused = registrationError(req);
    if (refused) { this.log(`device plugin registration refused: ${refused}`); return refused; }
    let provider = this.byResource.get(req.resourceName);
    const isNew = !provider;
    if (!provider) {
      provider = new PluginProvider(req.resourceName, this.opts.resolveCdi, this.opts.onChange);
      this.byResource.set(req.resourceName, provider);
    }
    const p = provider;
    const conn: PluginConnection = new PluginConnection(path.join(this.opts.dir, req.endpoint), req.options, {
      devices: (list) => p.setDevices(list),
      ended: (reason) => { this.log(`device plugin ${req.resourceName}: ${reason}; its devices are unhealthy until it registers again`); p.ended(conn, reason); },
    });
    p.attach(conn);
    this.log(`device plugin ${req.resourceName} registered at ${req.endpoint}`);
    if (isNew) this.opts.onProvider?.(p);
    conn.start().catch((e: unknown) => p.ended(conn, `could not follow the plugin: ${e instanceof Error ? e.message : String(e)}`));
    return undefined;
  }
}
