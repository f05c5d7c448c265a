/**
 * The VolumeMounter of PVs with spec.csi: NodeStage once per volume per node (when the driver has
 * STAGE_UNSTAGE_VOLUME) under DATA_DIR/csi/staging, NodePublish once per pod under DATA_DIR/csi/pods,
 * and the reverse on teardown. A record per pod and volume (written before the driver is called) makes
 * teardown work after an agent or driver restart; a driver that is gone at teardown gets its mounts
 * undone locally and its Unpublish/Unstage calls when it registers again.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pod } from '../../api/pod.js';
import { parseBytes } from '../../api/quantity.js';
import { CsiCallError } from '../csi/client.js';
import type { CsiDrivers, RegisteredDriver } from '../csi/drivers.js';
import { forceUnmount, isMountPoint, mountsUnder } from '../csi/mount-util.js';
import type { AccessModeName, VolumeCapability } from '../csi/types.js';
import type { VolumeMounter, VolumeToMount } from './types.js';
import type { EventRecorder } from '../../client/kit/events.js';
import type { SecretRef } from '../../api/csi.js';

/** A mount that cannot be made now: the volumes hook holds the container Waiting with this reason and retries. */
export class CsiMountError extends Error {
  constructor(readonly reason: string, message: string, readonly retryInMs = 3_000) { super(message); }
}

/** The PV's spec.csi as the mounter reads it. */
interface CsiSource {
  driver: string; volumeHandle: string; readOnly?: boolean; fsType?: string; volumeAttributes?: Record<string, string>;
  controllerPublishSecretRef?: RefIn; nodeStageSecretRef?: RefIn; nodePublishSecretRef?: RefIn; nodeExpandSecretRef?: RefIn;
}
type RefIn = { name: string; namespace?: string };

/** Reads a Secret's data for a CSI call (the node's API client). */
export type SecretReader = (ref: SecretRef | undefined, what: string) => Promise<Record<string, string>>;

/** A PV's secret reference with its namespace defaulted as Kubernetes does. */
const refOf = (r: RefIn | undefined): SecretRef | undefined => (r ? { name: r.name, namespace: r.namespace ?? 'default' } : undefined);

/** What a pod's publish left on disk: enough to undo it without the API. */
interface PublishRecord {
  driver: string; volumeHandle: string; pvName: string; podUid: string;
  targetPath: string; stagingPath?: string; nodeId: string; released?: boolean; capacityBytes?: number;
}

function csiSourceOf(v: VolumeToMount): CsiSource | undefined {
  const c = v.pv.spec.csi as Partial<CsiSource> | undefined;
  if (!c || typeof c.driver !== 'string' || typeof c.volumeHandle !== 'string') return undefined;
  return c as CsiSource;
}

/** Kubernetes' access mode to the CSI one. */
export function csiAccessMode(modes: unknown): AccessModeName {
  const m = Array.isArray(modes) ? modes[0] : undefined;
  if (m === 'ReadOnlyMany') return 'MULTI_NODE_READER_ONLY';
  if (m === 'ReadWriteMany') return 'MULTI_NODE_MULTI_WRITER';
  return 'SINGLE_NODE_WRITER';
}

/** The capability Lantern asks for: a mounted filesystem (block volumes are not served). */
export function capabilityOf(fsType: string | undefined, modes: unknown, mountFlags: string[] = []): VolumeCapability {
  return { mount: { fsType: fsType ?? '', mountFlags }, accessMode: { mode: csiAccessMode(modes) } };
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);

/** Mounts CSI volumes through the node's registered drivers. */
export class CsiMounter implements VolumeMounter {
  readonly name = 'csi';
  private readonly podsDir: string;
  private readonly stagingDir: string;
  private readonly locks = new Map<string, Promise<unknown>>();

  /** events: where FailedMount warnings about a pod go (Kubernetes' kubelet records them); absent: none. */
  constructor(private readonly drivers: CsiDrivers, root: string, private readonly log: (m: string) => void = () => undefined, private readonly events?: EventRecorder, private readonly secrets: SecretReader = async () => ({})) {
    this.podsDir = path.join(root, 'pods');
    this.stagingDir = path.join(root, 'staging');
  }

  canMount(v: VolumeToMount): boolean { return csiSourceOf(v) !== undefined; }

  private stagingPath(driver: string, handle: string): string { return path.join(this.stagingDir, driver, hash(handle), 'globalmount'); }
  private recordFile(podUid: string, pvName: string): string { return path.join(this.podsDir, podUid, `${pvName}.json`); }

  private async driverFor(name: string, pod: Pod): Promise<RegisteredDriver> {
    const d = this.drivers.get(name);
    if (!d) {
      const err = new CsiMountError('CSIDriverNotRegistered', `CSI driver ${name} is not registered on this node: start its node plugin so it registers a socket in the plugins_registry folder`);
      await this.events?.record(pod, 'Warning', 'FailedMount', err.message).catch(() => undefined);
      throw err;
    }
    return d;
  }

  /**
   * Runs fn after every earlier call for the same volume: a pod's unstage and another pod's stage of one
   * volume must not interleave (the last-user check and the driver calls are one step).
   */
  private locked<T>(driver: string, handle: string, fn: () => Promise<T>): Promise<T> {
    const key = `${driver}\0${handle}`;
    const next = (this.locks.get(key) ?? Promise.resolve()).catch(() => undefined).then(fn);
    this.locks.set(key, next);
    void next.catch(() => undefined).finally(() => { if (this.locks.get(key) === next) this.locks.delete(key); });
    return next;
  }

  async mount(v: VolumeToMount, pod: Pod): Promise<string> {
    const src = csiSourceOf(v);
    if (!src) throw new Error(`PV ${v.pvName} has no spec.csi`);
    return this.locked(src.driver, src.volumeHandle, () => this.mountNow(v, src, pod));
  }

  private async mountNow(v: VolumeToMount, src: CsiSource, pod: Pod): Promise<string> {
    const d = await this.driverFor(src.driver, pod);
    const podUid = pod.metadata.uid ?? pod.metadata.name;
    const stage = d.info.nodeCapabilities.includes('STAGE_UNSTAGE_VOLUME');
    const targetPath = path.join(this.podsDir, podUid, hash(v.pvName), 'mount');
    const stagingPath = stage ? this.stagingPath(src.driver, src.volumeHandle) : undefined;
    const rec: PublishRecord = { driver: src.driver, volumeHandle: src.volumeHandle, pvName: v.pvName, podUid, targetPath, ...(stagingPath ? { stagingPath } : {}), nodeId: d.info.nodeId };
    await mkdir(path.dirname(targetPath), { recursive: true, mode: 0o750 });
    await writeFile(this.recordFile(podUid, v.pvName), JSON.stringify(rec));
    const mountOptions = Array.isArray(v.pv.spec.mountOptions) ? (v.pv.spec.mountOptions as unknown[]).filter((o): o is string => typeof o === 'string') : [];
    const cap = capabilityOf(src.fsType, v.pv.spec.accessModes, mountOptions);
    const readonly = v.readOnly || src.readOnly === true;
    const volumeContext = src.volumeAttributes ?? {};
    try {
      let publishContext: Record<string, string> = {};
      // Kubernetes' attach/detach controller does this through VolumeAttachment objects; Lantern calls it
      // from the node when the driver's controller service runs here (see docs/architecture.md).
      if (d.info.controllerCapabilities.includes('PUBLISH_UNPUBLISH_VOLUME')) {
        const secrets = await this.secrets(refOf(src.controllerPublishSecretRef), 'controller-publish');
        publishContext = await d.client.controllerPublish({ volumeId: src.volumeHandle, nodeId: d.info.nodeId, volumeCapability: cap, readonly, volumeContext, secrets });
      }
      if (stagingPath) {
        await mkdir(stagingPath, { recursive: true, mode: 0o750 });
        const secrets = await this.secrets(refOf(src.nodeStageSecretRef), 'node-stage');
        await d.client.nodeStage({ volumeId: src.volumeHandle, publishContext, stagingTargetPath: stagingPath, volumeCapability: cap, volumeContext, secrets });
      }
      const secrets = await this.secrets(refOf(src.nodePublishSecretRef), 'node-publish');
      await d.client.nodePublish({ volumeId: src.volumeHandle, publishContext, stagingTargetPath: stagingPath ?? '', targetPath, volumeCapability: cap, readonly, volumeContext, secrets });
    } catch (e) {
      if (e instanceof CsiCallError) {
        const err = new CsiMountError(e.code === 'UNAVAILABLE' ? 'CSIDriverUnavailable' : 'CSIMountFailed', `MountVolume for PV ${v.pvName} (CSI driver ${src.driver}): ${e.message}`);
        await this.events?.record(pod, 'Warning', 'FailedMount', err.message).catch(() => undefined);
        throw err;
      }
      throw e;
    }
    await this.expandIfNeeded(d, v, rec);
    return targetPath;
  }

  /** NodeExpandVolume when the PV grew past what this publish last saw (the resizer grew it). */
  private async expandIfNeeded(d: RegisteredDriver, v: VolumeToMount, rec: PublishRecord): Promise<void> {
    const cap = v.pv.spec.capacity as { storage?: string | number } | undefined;
    const want = cap?.storage !== undefined ? parseBytes(cap.storage) ?? 0 : 0;
    if (!d.info.nodeCapabilities.includes('EXPAND_VOLUME') || want <= (rec.capacityBytes ?? want)) {
      if (rec.capacityBytes === undefined) { rec.capacityBytes = want; await writeFile(this.recordFile(rec.podUid, rec.pvName), JSON.stringify(rec)); }
      return;
    }
    const secrets = await this.secrets(refOf(csiSourceOf(v)?.nodeExpandSecretRef), 'node-expand');
    await d.client.nodeExpand({ volumeId: rec.volumeHandle, volumePath: rec.targetPath, capacityRange: { requiredBytes: want }, stagingTargetPath: rec.stagingPath ?? '', secrets });
    rec.capacityBytes = want;
    await writeFile(this.recordFile(rec.podUid, rec.pvName), JSON.stringify(rec));
  }

  /** Node-side expansion of a volume published here (the resizer calls it after ControllerExpandVolume). */
  async expandPublished(driver: string, volumeHandle: string, bytes: number, secretRef?: SecretRef): Promise<boolean> {
    const d = this.drivers.get(driver);
    let done = false;
    for (const rec of await this.records()) {
      if (rec.driver !== driver || rec.volumeHandle !== volumeHandle || rec.released || !d) continue;
      if (d.info.nodeCapabilities.includes('EXPAND_VOLUME')) {
        const secrets = await this.secrets(secretRef, 'node-expand');
        await d.client.nodeExpand({ volumeId: volumeHandle, volumePath: rec.targetPath, capacityRange: { requiredBytes: bytes }, stagingTargetPath: rec.stagingPath ?? '', secrets });
      }
      rec.capacityBytes = bytes;
      await writeFile(this.recordFile(rec.podUid, rec.pvName), JSON.stringify(rec));
      done = true;
    }
    return done;
  }

  async unmount(v: VolumeToMount, pod: Pod): Promise<void> {
    const file = this.recordFile(pod.metadata.uid ?? pod.metadata.name, v.pvName);
    const rec = await readRecord(file);
    if (!rec) return;
    rec.released = true;
    await writeFile(file, JSON.stringify(rec));
    await this.locked(rec.driver, rec.volumeHandle, () => this.release(rec, file, true));
  }

  /** Retries the teardown of publishes whose pod is gone (a driver that registers again). */
  async retryReleased(): Promise<void> {
    for (const rec of await this.records()) {
      if (rec.released) await this.locked(rec.driver, rec.volumeHandle, () => this.release(rec, this.recordFile(rec.podUid, rec.pvName), false)).catch((e: unknown) => this.log(`csi: teardown of ${rec.pvName} still failing: ${String(e)}`));
    }
  }

  /**
   * Tears down publishes of pods that are no longer on this node (an agent restarted after its pod
   * went, a pod deleted while its mount was still failing): nothing stays mounted for a gone pod.
   */
  async sweep(livePodUids: ReadonlySet<string>, listedAtMs: number): Promise<void> {
    for (const rec of await this.records()) {
      if (livePodUids.has(rec.podUid)) continue;
      const file = this.recordFile(rec.podUid, rec.pvName);
      // A record newer than the pod list may be a pod that came after it: the next sweep decides.
      const st = await stat(file).catch(() => undefined);
      if (!st || st.mtimeMs >= listedAtMs - 1000) continue;
      if (!rec.released) { rec.released = true; await writeFile(file, JSON.stringify(rec)); }
      await this.locked(rec.driver, rec.volumeHandle, () => this.release(rec, file, true)).catch((e: unknown) => this.log(`csi: sweeping ${rec.pvName} of gone pod ${rec.podUid}: ${String(e)}`));
    }
  }

  /** Unpublish; unstage when no other pod of this node publishes the volume; local unmounts when the driver cannot. */
  private async release(rec: PublishRecord, file: string, fallBack: boolean): Promise<void> {
    const d = this.drivers.get(rec.driver);
    const others = (await this.records()).filter((r) => r.driver === rec.driver && r.volumeHandle === rec.volumeHandle && r.podUid !== rec.podUid && !r.released);
    try {
      if (!d) throw new Error(`CSI driver ${rec.driver} is not registered`);
      await d.client.nodeUnpublish(rec.volumeHandle, rec.targetPath);
      if (others.length === 0) {
        if (rec.stagingPath) await d.client.nodeUnstage(rec.volumeHandle, rec.stagingPath);
        if (d.info.controllerCapabilities.includes('PUBLISH_UNPUBLISH_VOLUME')) await d.client.controllerUnpublish(rec.volumeHandle, rec.nodeId);
      }
      await removeUnmounted(path.dirname(rec.targetPath));
      await rm(file, { force: true });
      await rmdir(path.dirname(file)).catch(() => undefined);
    } catch (e) {
      if (!fallBack) throw e;
      // Nothing may stay mounted once the pod is gone: undo the mounts here, and keep the record so the
      // driver's own Unpublish/Unstage run when it registers again (both are idempotent by the spec).
      this.log(`csi: teardown of ${rec.pvName} for pod ${rec.podUid} through ${rec.driver} failed (${e instanceof Error ? e.message : String(e)}); unmounting locally`);
      await forceUnmount(rec.targetPath);
      if (others.length === 0 && rec.stagingPath) await forceUnmount(rec.stagingPath);
    }
  }

  /** Every publish record on this node. */
  private async records(): Promise<PublishRecord[]> {
    const out: PublishRecord[] = [];
    for (const uid of await readdir(this.podsDir).catch(() => [] as string[])) {
      for (const f of await readdir(path.join(this.podsDir, uid)).catch(() => [] as string[])) {
        if (!f.endsWith('.json')) continue;
        const r = await readRecord(path.join(this.podsDir, uid, f));
        if (r) out.push(r);
      }
    }
    return out;
  }

  /** True when the staging path of this volume is mounted (tests, describe). */
  async isStaged(driver: string, handle: string): Promise<boolean> { return isMountPoint(this.stagingPath(driver, handle)); }
}

async function readRecord(file: string): Promise<PublishRecord | undefined> {
  try { return JSON.parse(await readFile(file, 'utf8')) as PublishRecord; } catch { return undefined; }
}

/** Removes a publish folder, never through a mount a driver left behind (that would delete volume data). */
async function removeUnmounted(dir: string): Promise<void> {
  for (const m of (await mountsUnder(dir)).reverse()) await forceUnmount(m);
  if ((await mountsUnder(dir)).length > 0) throw new Error(`${dir} is still mounted; not removing it`);
  await rm(dir, { recursive: true, force: true });
}
