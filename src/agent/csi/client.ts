/**
 * A CSI client for one driver endpoint (a unix socket): Identity, Controller and Node calls as
 * promises with a deadline, errors named by method and gRPC code.
 */
import * as grpc from '@grpc/grpc-js';
import { csiProtos, unixTarget } from './proto.js';
import type { CapacityRange, Capability, CsiVolume, Int64, Topology, VolumeCapability } from './types.js';

/** A failed CSI call: the method, the gRPC status code name and the driver's message. */
export class CsiCallError extends Error {
  constructor(readonly method: string, readonly code: string, readonly details: string) {
    super(`CSI ${method}: ${code}: ${details}`);
  }
}

/** A CSI secrets map (never logged). */
type Secrets = Record<string, string>;

type Callback = (err: grpc.ServiceError | null, res: unknown) => void;
type Method = (req: unknown, meta: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => void;

/** Calls one RPC of a grpc-js client with a deadline. */
function call<T>(client: grpc.Client, method: string, req: object, timeoutMs: number): Promise<T> {
  const fn = (client as unknown as Record<string, Method | undefined>)[method];
  if (typeof fn !== 'function') return Promise.reject(new Error(`CSI method ${method} unknown`));
  return new Promise<T>((resolve, reject) => {
    fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(new CsiCallError(method, grpc.status[err.code] ?? String(err.code), err.details || err.message));
      else resolve(res as T);
    });
  });
}

/** The three CSI services of one driver socket. */
export class CsiClient {
  private readonly identity: grpc.Client;
  private readonly controller: grpc.Client;
  private readonly node: grpc.Client;

  constructor(readonly endpoint: string, private readonly timeoutMs = 30_000) {
    const p = csiProtos();
    const creds = grpc.credentials.createInsecure();
    const target = unixTarget(endpoint);
    this.identity = new p.Identity(target, creds);
    this.controller = new p.Controller(target, creds);
    this.node = new p.Node(target, creds);
  }

  /** Identity.GetPluginInfo. */
  getPluginInfo(): Promise<{ name: string; vendorVersion: string }> { return call(this.identity, 'GetPluginInfo', {}, this.timeoutMs); }
  /** Identity.GetPluginCapabilities. */
  async getPluginCapabilities(): Promise<Capability[]> {
    return (await call<{ capabilities: Capability[] }>(this.identity, 'GetPluginCapabilities', {}, this.timeoutMs)).capabilities;
  }
  /** Identity.Probe: ready unless the driver says false. */
  async probe(): Promise<boolean> {
    const res = await call<{ ready: { value: boolean } | null }>(this.identity, 'Probe', {}, this.timeoutMs);
    return res.ready?.value ?? true;
  }

  /** Controller.ControllerGetCapabilities. */
  async controllerCapabilities(): Promise<Capability[]> {
    return (await call<{ capabilities: Capability[] }>(this.controller, 'ControllerGetCapabilities', {}, this.timeoutMs)).capabilities;
  }
  /** Controller.CreateVolume (idempotent by name). */
  async createVolume(req: { name: string; capacityRange?: CapacityRange; volumeCapabilities: VolumeCapability[]; parameters: Record<string, string>; secrets?: Secrets; accessibilityRequirements?: { requisite: Topology[]; preferred: Topology[] } }): Promise<CsiVolume> {
    return (await call<{ volume: CsiVolume }>(this.controller, 'CreateVolume', req, this.timeoutMs)).volume;
  }
  /** Controller.DeleteVolume (a missing volume is success, per the spec). */
  async deleteVolume(volumeId: string, secrets: Secrets = {}): Promise<void> { await call(this.controller, 'DeleteVolume', { volumeId, secrets }, this.timeoutMs); }
  /** Controller.ControllerPublishVolume: the publish context for the node calls. */
  async controllerPublish(req: { volumeId: string; nodeId: string; volumeCapability: VolumeCapability; readonly: boolean; volumeContext: Record<string, string>; secrets?: Secrets }): Promise<Record<string, string>> {
    return (await call<{ publishContext: Record<string, string> }>(this.controller, 'ControllerPublishVolume', req, this.timeoutMs)).publishContext;
  }
  /** Controller.ControllerUnpublishVolume. */
  async controllerUnpublish(volumeId: string, nodeId: string): Promise<void> { await call(this.controller, 'ControllerUnpublishVolume', { volumeId, nodeId }, this.timeoutMs); }
  /** Controller.ControllerExpandVolume. */
  controllerExpand(req: { volumeId: string; capacityRange: CapacityRange; volumeCapability?: VolumeCapability; secrets?: Secrets }): Promise<{ capacityBytes: Int64; nodeExpansionRequired: boolean }> {
    return call(this.controller, 'ControllerExpandVolume', req, this.timeoutMs);
  }

  /** Node.NodeGetInfo. */
  nodeGetInfo(): Promise<{ nodeId: string; accessibleTopology: Topology | null }> { return call(this.node, 'NodeGetInfo', {}, this.timeoutMs); }
  /** Node.NodeGetCapabilities. */
  async nodeCapabilities(): Promise<Capability[]> {
    return (await call<{ capabilities: Capability[] }>(this.node, 'NodeGetCapabilities', {}, this.timeoutMs)).capabilities;
  }
  /** Node.NodeStageVolume. */
  async nodeStage(req: { volumeId: string; publishContext: Record<string, string>; stagingTargetPath: string; volumeCapability: VolumeCapability; volumeContext: Record<string, string>; secrets?: Secrets }): Promise<void> {
    await call(this.node, 'NodeStageVolume', req, this.timeoutMs);
  }
  /** Node.NodeUnstageVolume. */
  async nodeUnstage(volumeId: string, stagingTargetPath: string): Promise<void> { await call(this.node, 'NodeUnstageVolume', { volumeId, stagingTargetPath }, this.timeoutMs); }
  /** Node.NodePublishVolume. */
  async nodePublish(req: { volumeId: string; publishContext: Record<string, string>; stagingTargetPath: string; targetPath: string; volumeCapability: VolumeCapability; readonly: boolean; volumeContext: Record<string, string>; secrets?: Secrets }): Promise<void> {
    await call(this.node, 'NodePublishVolume', req, this.timeoutMs);
  }
  /** Node.NodeUnpublishVolume. */
  async nodeUnpublish(volumeId: string, targetPath: string): Promise<void> { await call(this.node, 'NodeUnpublishVolume', { volumeId, targetPath }, this.timeoutMs); }
  /** Node.NodeExpandVolume. */
  nodeExpand(req: { volumeId: string; volumePath: string; capacityRange: CapacityRange; stagingTargetPath: string; volumeCapability?: VolumeCapability; secrets?: Secrets }): Promise<{ capacityBytes: Int64 }> {
    return call(this.node, 'NodeExpandVolume', req, this.timeoutMs);
  }

  /** Closes the channels. */
  close(): void { this.identity.close(); this.controller.close(); this.node.close(); }
}
