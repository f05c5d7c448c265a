/**
 * The node side of local-path's Delete reclaim policy (k3s's helper pod, done by the agent): when a
 * Delete volume pinned to this node is Released, remove its directory under this node's storage
 * root, then delete the PV (pv-protection lets it go, it is no longer Bound). A path that is not a
 * volume directory under the root is never removed: the PV is marked Failed with the reason. Bound
 * volumes get their used bytes reported (sizes are not enforced: see local-path-usage.ts).
 */
import { lstat, rm } from 'node:fs/promises';
import type { PersistentVolume } from '../../api/schema/storage.js';
import { LOCAL_PATH_USED_ANNOTATION } from '../../api/storage.js';
import { Controller, ignoreErrors, type ControllerInputs } from '../../client/kit/index.js';
import { reclaimStep } from './reclaim-plan.js';
import { usedBytes } from './local-path-usage.js';

/** Settings of a node's local-path reclaimer. */
export interface LocalPathReclaimerOptions extends ControllerInputs {
  nodeName: string;
  /** The node's storage root (DATA_DIR/storage, the Node's storage.lantern.dev/local-path-root). */
  root: string;
  /** How often Bound volumes' use is measured again (default 60 s). */
  measureMs?: number;
}

/** Deletes this node's released local-path Delete volumes and reports the use of its bound ones. */
export class LocalPathReclaimer extends Controller {
  private readonly volumes;

  constructor(private readonly opts: LocalPathReclaimerOptions) {
    super(opts, { name: 'local-path-reclaimer', retryOnError: true });
    this.volumes = this.loop.informer<PersistentVolume>('persistentvolumes');
  }

  /** Follow every PV (a node may list them); resolves once the first list is in. */
  async start(): Promise<void> {
    const q = (pv: PersistentVolume): void => this.loop.queue.add(pv.metadata.name);
    this.loop.watch(this.volumes, { onAdd: q, onUpdate: (_, pv) => q(pv) }, { resyncMs: this.opts.measureMs ?? 60_000 });
    await this.loop.start();
  }

  async reconcile(name: string): Promise<void> {
    const pv = this.volumes.get(name);
    if (!pv) return;
    const step = reclaimStep(pv, this.opts.nodeName, this.opts.root);
    const api = this.loop.api;
    if (step.do === 'measure') {
      const bytes = String(await usedBytes(step.dir));
      if (pv.metadata.annotations?.[LOCAL_PATH_USED_ANNOTATION] === bytes) return;
      await api.update<PersistentVolume>('persistentvolumes', { ...pv, metadata: { ...pv.metadata, annotations: { ...pv.metadata.annotations, [LOCAL_PATH_USED_ANNOTATION]: bytes } } }).catch(ignoreErrors('NotFound', 'Conflict'));
      return;
    }
    if (step.do === 'fail') {
      this.loop.log(`persistentvolume ${name}: ${step.message}`);
      await api.updateStatus<PersistentVolume>('persistentvolumes', { ...pv, status: { phase: 'Failed', message: step.message } }).catch(ignoreErrors('NotFound'));
      return;
    }
    if (step.do !== 'delete') return;
    // Never follow a symlink put in the volume's place: remove the link itself, not what it points at.
    const st = await lstat(step.dir).catch(() => undefined);
    await rm(step.dir, { recursive: st?.isDirectory() === true && !st.isSymbolicLink(), force: true });
    this.loop.log(`persistentvolume ${name}: reclaim policy Delete: removed ${step.dir}`);
    await api.delete('persistentvolumes', name).catch(ignoreErrors('NotFound'));
  }
}
