/**
 * One registered plugin's gRPC connection: its options, the ListAndWatch stream followed for as
 * long as it stays open, and the unary calls (GetPreferredAllocation, Allocate, PreStartContainer)
 * as promises with deadlines, so a plugin that hangs holds one container back, never the agent.
 */
import * as grpc from '@grpc/grpc-js';
import { deviceApi, type AllocateResponse, type ContainerPreferredAllocationRequest, type DevicePluginOptions, type ListAndWatchResponse, type PluginDevice, type PreferredAllocationResponse } from './proto.js';

type Callback<Res> = (err: grpc.ServiceError | null, res?: Res) => void;
type UnaryMethod = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: Callback<unknown>) => grpc.ClientUnaryCall;

/** Deadlines: kubelet allows PreStartContainer 30 s; the others answer from memory. */
const unaryTimeoutMs = 10_000;
const preStartTimeoutMs = 30_000;

/** What a connection tells its owner. */
export interface ConnectionEvents {
  /** A new device list arrived. */
  devices(list: PluginDevice[]): void;
  /** The stream ended (the plugin died or stopped): its devices are no longer usable. */
  ended(reason: string): void;
}

/** A live connection to one plugin's socket. */
export class PluginConnection {
  private readonly client: grpc.Client;
  private stream: grpc.ClientReadableStream<ListAndWatchResponse> | undefined;
  private closed = false;
  options: DevicePluginOptions;

  constructor(readonly socketPath: string, options: DevicePluginOptions | null | undefined, private readonly events: ConnectionEvents) {
    this.options = { preStartRequired: options?.preStartRequired ?? false, getPreferredAllocationAvailable: options?.getPreferredAllocationAvailable ?? false };
    const Client = deviceApi().DevicePlugin;
    this.client = new Client(`unix:${socketPath}`, grpc.credentials.createInsecure());
  }

  /** Ask its options (they win over the RegisterRequest's when it answers) and follow ListAndWatch. */
  async start(): Promise<void> {
    try { this.options = await this.call<DevicePluginOptions>('GetDevicePluginOptions', {}, unaryTimeoutMs); } catch { /* kept from the RegisterRequest */ }
    if (this.closed) return;
    const stream = (this.client as unknown as { ListAndWatch(req: object): grpc.ClientReadableStream<ListAndWatchResponse> }).ListAndWatch({});
    this.stream = stream;
    let done = false;
    const end = (reason: string): void => { if (done) return; done = true; if (!this.closed) this.events.ended(reason); };
    stream.on('data', (res: ListAndWatchResponse) => { if (!this.closed) this.events.devices(Array.isArray(res.devices) ? res.devices : []); });
    stream.on('error', (e: Error) => end(`ListAndWatch failed: ${e.message}`));
    stream.on('end', () => end('ListAndWatch ended'));
    stream.on('close', () => end('ListAndWatch closed'));
  }

  /** GetPreferredAllocation for one container. */
  async preferred(req: ContainerPreferredAllocationRequest): Promise<string[] | undefined> {
    const res = await this.call<PreferredAllocationResponse>('GetPreferredAllocation', { containerRequests: [req] }, unaryTimeoutMs);
    return res.containerResponses[0]?.deviceIDs;
  }

  /** Allocate these devices to one container. */
  async allocate(ids: string[]): Promise<AllocateResponse> {
    return this.call<AllocateResponse>('Allocate', { containerRequests: [{ devicesIds: ids }] }, unaryTimeoutMs);
  }

  /** PreStartContainer, for plugins that ask for it. */
  async preStart(ids: string[]): Promise<void> {
    await this.call<object>('PreStartContainer', { devicesIds: ids }, preStartTimeoutMs);
  }

  /** Stop following and close the channel. */
  close(): void {
    this.closed = true;
    this.stream?.cancel();
    this.client.close();
  }

  private call<Res>(method: string, req: object, timeoutMs: number): Promise<Res> {
    const fn = (this.client as unknown as Record<string, UnaryMethod>)[method];
    if (!fn) return Promise.reject(new Error(`device plugin API has no method ${method}`));
    return new Promise<Res>((resolve, reject) => {
      fn.call(this.client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new Error(`device plugin at ${this.socketPath}: ${method}: ${err.details || err.message}`));
        else resolve(res as Res);
      });
    });
  }
}
