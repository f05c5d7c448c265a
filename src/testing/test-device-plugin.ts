/**
 * A TEST device plugin (not a real vendor's): serves the device plugin API v1beta1 on its own unix
 * socket in a plugin directory and registers with the agent's kubelet.sock there, as a vendor's
 * plugin registers with kubelet. It advertises the devices it is given, lets a test flip their
 * health, answers Allocate with what the test chose (device nodes, env, mounts, CDI names) and
 * records every call, so tests drive the agent's side of the API over real gRPC.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { apiVersion, deviceApi, type AllocateResponse, type ContainerAllocateResponse, type ContainerPreferredAllocationRequest, type DevicePluginOptions, type ListAndWatchResponse, type PluginDevice, type RegisterRequest } from '../agent/devices/plugin-api/proto.js';

/** What the test plugin advertises and answers. */
export interface TestDevicePluginOptions {
  /** The plugin directory holding kubelet.sock. */
  dir: string;
  /** e.g. example.com/foo. */
  resourceName: string;
  /** Its socket's file name in dir. */
  endpoint: string;
  /** Device IDs, all healthy at first; a NUMA node per device when given. */
  devices: { id: string; numa?: number }[];
  options?: Partial<DevicePluginOptions>;
  /** The answer for one container given the device IDs. */
  allocate(ids: string[]): Partial<ContainerAllocateResponse>;
  /** GetPreferredAllocation's answer (default: the last `size` available IDs, to be told apart from a plain pick). */
  preferred?(req: ContainerPreferredAllocationRequest): string[];
  /** Overrides the RegisterRequest (tests of refused registrations). */
  register?: Partial<RegisterRequest>;
}

/** The test plugin: start() serves and registers; stop() dies (the stream ends). */
export class TestDevicePlugin {
  private server: grpc.Server | undefined;
  private readonly health = new Map<string, string>();
  private readonly watchers = new Set<grpc.ServerWritableStream<object, ListAndWatchResponse>>();
  /** Each Allocate's device IDs, each PreStartContainer's, each GetPreferredAllocation's request. */
  readonly allocated: string[][] = [];
  readonly preStarted: string[][] = [];
  readonly preferredAsked: ContainerPreferredAllocationRequest[] = [];

  constructor(private readonly opts: TestDevicePluginOptions) {
    for (const d of opts.devices) this.health.set(d.id, 'Healthy');
  }

  get socketPath(): string { return path.join(this.opts.dir, this.opts.endpoint); }

  /** Serve on the socket and register; rejects with the agent's message when registration is refused. */
  async start(): Promise<void> {
    await rm(this.socketPath, { force: true });
    const server = new grpc.Server();
    server.addService(deviceApi().DevicePlugin.service, {
      GetDevicePluginOptions: (_c: unknown, cb: grpc.sendUnaryData<DevicePluginOptions>) => cb(null, this.pluginOptions()),
      ListAndWatch: (call: grpc.ServerWritableStream<object, ListAndWatchResponse>) => {
        this.watchers.add(call);
        call.on('cancelled', () => this.watchers.delete(call));
        call.write(this.list());
      },
      GetPreferredAllocation: (call: grpc.ServerUnaryCall<{ containerRequests: ContainerPreferredAllocationRequest[] }, object>, cb: grpc.sendUnaryData<object>) => {
        const answers = call.request.containerRequests.map((r) => { this.preferredAsked.push(r); return { deviceIDs: this.opts.preferred ? this.opts.preferred(r) : r.availableDeviceIDs.slice(-r.allocationSize) }; });
        cb(null, { containerResponses: answers });
      },
      Allocate: (call: grpc.ServerUnaryCall<{ containerRequests: { devicesIds: string[] }[] }, AllocateResponse>, cb: grpc.sendUnaryData<object>) => {
        // allocate() may throw: the plugin answers with a gRPC error, as a vendor's does.
        try {
          cb(null, { containerResponses: call.request.containerRequests.map((r) => { this.allocated.push(r.devicesIds); return this.opts.allocate(r.devicesIds); }) });
        } catch (e) { cb({ code: grpc.status.FAILED_PRECONDITION, details: e instanceof Error ? e.message : String(e) }); }
      },
      PreStartContainer: (call: grpc.ServerUnaryCall<{ devicesIds: string[] }, object>, cb: grpc.sendUnaryData<object>) => { this.preStarted.push(call.request.devicesIds); cb(null, {}); },
    });
    await new Promise<void>((resolve, reject) => server.bindAsync(`unix:${this.socketPath}`, grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
    this.server = server;
    try { await this.registerOnce(); } catch (e) { await this.stop(); throw e; }
  }

  /** Set one device's health; every open ListAndWatch stream gets the new list. */
  setHealthy(id: string, healthy: boolean): void {
    this.health.set(id, healthy ? 'Healthy' : 'Unhealthy');
    for (const w of this.watchers) w.write(this.list());
  }

  /** Die: close the streams and the socket, as a crashed plugin. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.watchers.clear();
    server?.forceShutdown();
    await rm(this.socketPath, { force: true });
  }

  private pluginOptions(): DevicePluginOptions {
    return { preStartRequired: this.opts.options?.preStartRequired ?? false, getPreferredAllocationAvailable: this.opts.options?.getPreferredAllocationAvailable ?? false };
  }

  private list(): ListAndWatchResponse {
    const devices: PluginDevice[] = this.opts.devices.map((d) => ({ ID: d.id, health: this.health.get(d.id) ?? 'Unhealthy', ...(d.numa !== undefined ? { topology: { nodes: [{ ID: d.numa }] } } : {}) }));
    return { devices };
  }

  private registerOnce(): Promise<void> {
    const Client = deviceApi().Registration;
    const client = new Client(`unix:${path.join(this.opts.dir, 'kubelet.sock')}`, grpc.credentials.createInsecure());
    const req: RegisterRequest = { version: apiVersion, endpoint: this.opts.endpoint, resourceName: this.opts.resourceName, options: this.pluginOptions(), ...this.opts.register };
    return new Promise<void>((resolve, reject) => {
      (client as unknown as { Register(r: RegisterRequest, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null) => void): void })
        .Register(req, { deadline: Date.now() + 10_000 }, (e) => { client.close(); if (e) reject(new Error(e.details || e.message)); else resolve(); });
    });
  }
}
