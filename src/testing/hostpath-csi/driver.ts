/**
 * A host-path CSI driver written for Lantern's tests (a test driver, not for production): Identity,
 * Controller (CreateVolume = a directory under its root, capacity recorded, expansion) and Node (stage
 * = bind mount of that directory onto the staging path, publish = bind mount of the staging path onto
 * the target), registering through the kubelet's plugin-registration socket. A crash file makes
 * NodePublish mount and then end the process before answering, as a driver that dies mid-publish.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { csiProtos, unixTarget } from '../../agent/csi/proto.js';
import { CSI_PLUGIN_TYPE } from '../../agent/csi/types.js';

const run = promisify(execFile);

/** Options of the test driver. */
export interface HostpathCsiOptions {
  /** Driver name (default hostpath.csi.lantern.dev). */
  name?: string;
  /** Where volumes and their records live. */
  root: string;
  /** The CSI socket. */
  endpoint: string;
  /** The kubelet's plugins_registry folder (absent: no registration socket). */
  registrationDir?: string;
  /** The node id NodeGetInfo answers. */
  nodeId: string;
  /** When this file exists, NodePublish mounts and then exits the process without answering. */
  crashFile?: string;
  /** CreateVolume, DeleteVolume and NodeStageVolume refuse (UNAUTHENTICATED) without this secret key and value. */
  requireSecret?: { key: string; value: string };
  /** Advertise STAGE_UNSTAGE_VOLUME and PUBLISH_UNPUBLISH_VOLUME (default true). */
  stage?: boolean;
}

/** The topology key the test driver reports and pins volumes with. */
export const HOSTPATH_TOPOLOGY_KEY = 'topology.hostpath.csi/node';

interface VolumeRecord { id: string; name: string; capacityBytes: number; published: string[] }

type Handler = (call: { request: Record<string, unknown> }, cb: grpc.sendUnaryData<unknown>) => void;

/** Refuses a call whose secrets lack the required key and value. */
function checkSecret(want: { key: string; value: string } | undefined, req: Record<string, unknown>, method: string): void {
  if (!want) return;
  const got = (req.secrets as Record<string, string> | undefined)?.[want.key];
  if (got !== want.value) throw fail(grpc.status.UNAUTHENTICATED, `${method}: secret key ${want.key} missing or wrong`);
}

function fail(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

async function isMountPoint(p: string): Promise<boolean> {
  return run('findmnt', ['-n', '--mountpoint', p]).then(() => true, () => false);
}

/** The driver's gRPC server. */
export class HostpathCsiDriver {
  readonly name: string;
  /** Calls received, by method (tests read it). */
  readonly calls: string[] = [];
  private server: grpc.Server | undefined;
  private regServer: grpc.Server | undefined;
  private readonly regSocket: string | undefined;

  constructor(private readonly opts: HostpathCsiOptions) {
    this.name = opts.name ?? 'hostpath.csi.lantern.dev';
    this.regSocket = opts.registrationDir ? path.join(opts.registrationDir, `${this.name}-reg.sock`) : undefined;
  }

  private volDir(id: string): string { return path.join(this.opts.root, 'volumes', id); }
  private recFile(id: string): string { return path.join(this.opts.root, 'records', `${id}.json`); }
  private async record(id: string): Promise<VolumeRecord | undefined> {
    try { return JSON.parse(await readFile(this.recFile(id), 'utf8')) as VolumeRecord; } catch { return undefined; }
  }
  private async save(r: VolumeRecord): Promise<void> { await writeFile(this.recFile(r.id), JSON.stringify(r)); }

  /** Serves the CSI socket, then the registration socket (so Lantern finds a ready driver). */
  async start(): Promise<void> {
    await mkdir(path.join(this.opts.root, 'volumes'), { recursive: true });
    await mkdir(path.join(this.opts.root, 'records'), { recursive: true });
    const p = csiProtos();
    this.server = new grpc.Server();
    this.server.addService(p.Identity.service, this.wrap(this.identity()));
    this.server.addService(p.Controller.service, this.wrap(this.controller()));
    this.server.addService(p.Node.service, this.wrap(this.node()));
    await this.bind(this.server, this.opts.endpoint);
    if (this.regSocket) {
      this.regServer = new grpc.Server();
      this.regServer.addService(p.Registration.service, this.wrap({
        GetInfo: async () => ({ type: CSI_PLUGIN_TYPE, name: this.name, endpoint: this.opts.endpoint, supportedVersions: ['1.0.0'] }),
        NotifyRegistrationStatus: async (req) => { this.calls.push(`NotifyRegistrationStatus:${String(req.pluginRegistered)}`); return {}; },
      }));
      await this.bind(this.regServer, this.regSocket);
    }
  }

  /** Stops serving and removes both sockets (a clean shutdown; a crash leaves them). */
  async stop(): Promise<void> {
    for (const s of [this.regServer, this.server]) if (s) await new Promise<void>((r) => s.tryShutdown(() => r()));
    for (const f of [this.regSocket, this.opts.endpoint]) if (f) await unlink(f).catch(() => undefined);
  }

  private async bind(server: grpc.Server, socket: string): Promise<void> {
    await mkdir(path.dirname(socket), { recursive: true });
    await unlink(socket).catch(() => undefined); // a crashed run's socket
    await new Promise<void>((resolve, reject) => server.bindAsync(unixTarget(socket), grpc.ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  }

  private wrap(impl: Record<string, (req: Record<string, unknown>) => Promise<unknown>>): grpc.UntypedServiceImplementation {
    const out: Record<string, Handler> = {};
    for (const [name, fn] of Object.entries(impl)) {
      out[name] = (call, cb) => {
        this.calls.push(name);
        fn(call.request).then((res) => cb(null, res), (e: unknown) => cb(e instanceof Error && 'code' in e ? e as grpc.ServiceError : fail(grpc.status.INTERNAL, String(e))));
      };
    }
    return out as grpc.UntypedServiceImplementation;
  }

  private identity(): Record<string, (req: Record<string, unknown>) => Promise<unknown>> {
    return {
      GetPluginInfo: async () => ({ name: this.name, vendorVersion: '0.1.0-test' }),
      GetPluginCapabilities: async () => ({ capabilities: [{ service: { type: 'CONTROLLER_SERVICE' } }, { service: { type: 'VOLUME_ACCESSIBILITY_CONSTRAINTS' } }, { volumeExpansion: { type: 'ONLINE' } }] }),
      Probe: async () => ({ ready: { value: true } }),
    };
  }

  private controller(): Record<string, (req: Record<string, unknown>) => Promise<unknown>> {
    const stage = this.opts.stage ?? true;
    return {
      ControllerGetCapabilities: async () => ({ capabilities: ['CREATE_DELETE_VOLUME', 'EXPAND_VOLUME', ...(stage ? ['PUBLISH_UNPUBLISH_VOLUME'] : [])].map((type) => ({ rpc: { type } })) }),
      CreateVolume: async (req) => {
        checkSecret(this.opts.requireSecret, req, 'CreateVolume');
        const name = String(req.name ?? '');
        if (!name) throw fail(grpc.status.INVALID_ARGUMENT, 'name is required');
        const id = `hp-${name.replace(/[^A-Za-z0-9.-]/g, '-')}`;
        const range = req.capacityRange as { requiredBytes?: string } | null;
        const capacityBytes = Number(range?.requiredBytes ?? 0);
        const existing = await this.record(id);
        if (!existing) {
          await mkdir(this.volDir(id), { recursive: true, mode: 0o777 });
          await this.save({ id, name, capacityBytes, published: [] });
        }
        return { volume: { volumeId: id, capacityBytes: String(existing?.capacityBytes ?? capacityBytes), volumeContext: { hostpath: this.volDir(id) }, accessibleTopology: [{ segments: { [HOSTPATH_TOPOLOGY_KEY]: this.opts.nodeId } }] } };
      },
      DeleteVolume: async (req) => {
        checkSecret(this.opts.requireSecret, req, 'DeleteVolume');
        const id = String(req.volumeId ?? '');
        if (!id || id.includes('/')) throw fail(grpc.status.INVALID_ARGUMENT, 'volume_id is required');
        await rm(this.volDir(id), { recursive: true, force: true });
        await rm(this.recFile(id), { force: true });
        return {};
      },
      ControllerPublishVolume: async (req) => {
        const r = await this.record(String(req.volumeId));
        if (!r) throw fail(grpc.status.NOT_FOUND, `volume ${String(req.volumeId)} not found`);
        if (String(req.nodeId) !== this.opts.nodeId) throw fail(grpc.status.NOT_FOUND, `node ${String(req.nodeId)} not found`);
        return { publishContext: { 'hostpath.csi/published-to': this.opts.nodeId } };
      },
      ControllerUnpublishVolume: async () => ({}),
      ControllerExpandVolume: async (req) => {
        const r = await this.record(String(req.volumeId));
        if (!r) throw fail(grpc.status.NOT_FOUND, `volume ${String(req.volumeId)} not found`);
        r.capacityBytes = Math.max(r.capacityBytes, Number((req.capacityRange as { requiredBytes?: string } | null)?.requiredBytes ?? 0));
        await this.save(r);
        return { capacityBytes: String(r.capacityBytes), nodeExpansionRequired: true };
      },
    };
  }

  private node(): Record<string, (req: Record<string, unknown>) => Promise<unknown>> {
    const stage = this.opts.stage ?? true;
    const bindMount = async (src: string, dst: string, readonly: boolean): Promise<void> => {
      await mkdir(dst, { recursive: true });
      if (await isMountPoint(dst)) return; // idempotent, as the spec asks
      await run('mount', ['--bind', src, dst]);
      if (readonly) await run('mount', ['-o', 'remount,bind,ro', dst]);
    };
    const unmount = async (dst: string): Promise<void> => {
      while (await isMountPoint(dst)) await run('umount', [dst]);
      await rm(dst, { recursive: true, force: true });
    };
    return {
      NodeGetInfo: async () => ({ nodeId: this.opts.nodeId, accessibleTopology: { segments: { [HOSTPATH_TOPOLOGY_KEY]: this.opts.nodeId } } }),
      NodeGetCapabilities: async () => ({ capabilities: [...(stage ? ['STAGE_UNSTAGE_VOLUME'] : []), 'EXPAND_VOLUME'].map((type) => ({ rpc: { type } })) }),
      NodeStageVolume: async (req) => {
        checkSecret(this.opts.requireSecret, req, 'NodeStageVolume');
        const id = String(req.volumeId);
        if (!(await this.record(id))) throw fail(grpc.status.NOT_FOUND, `volume ${id} not found`);
        await bindMount(this.volDir(id), String(req.stagingTargetPath), false);
        return {};
      },
      NodeUnstageVolume: async (req) => { await unmount(String(req.stagingTargetPath)); return {}; },
      NodePublishVolume: async (req) => {
        const id = String(req.volumeId);
        if (!(await this.record(id))) throw fail(grpc.status.NOT_FOUND, `volume ${id} not found`);
        const src = stage ? String(req.stagingTargetPath) : this.volDir(id);
        if (stage && !(await isMountPoint(src))) throw fail(grpc.status.FAILED_PRECONDITION, `volume ${id} is not staged at ${src}`);
        await bindMount(src, String(req.targetPath), req.readonly === true);
        if (this.opts.crashFile && existsSync(this.opts.crashFile)) process.exit(70); // the test's crash mid-publish
        return {};
      },
      NodeUnpublishVolume: async (req) => { await unmount(String(req.targetPath)); return {}; },
      NodeExpandVolume: async (req) => {
        const r = await this.record(String(req.volumeId));
        if (!r) throw fail(grpc.status.NOT_FOUND, `volume ${String(req.volumeId)} not found`);
        return { capacityBytes: String(r.capacityBytes) };
      },
    };
  }
}
