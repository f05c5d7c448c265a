import type { LayerBlob } from './formats.js';
import type { StoreLayout } from './layout.js';
import { describeLayer } from './pulled.js';
import type { BlobExpect } from './types.js';
import { ensureSnapshot, unpackLayer } from './unpack.js';

/**
 * Gets layers into snapshots, one piece of work per diff ID at a time (two pulls or imports sharing a
 * layer unpack it once; the second finds the snapshot), and remembers which blob was verified to hold
 * which diff ID. That is a fact about content, true for as long as the digests are, so a layer a pull
 * prepared while other layers were still downloading is not decompressed again when the image is added.
 */
export class LayerPreparer {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly verified = new Map<string, LayerBlob>();

  constructor(private readonly layout: StoreLayout) {}

  /** Makes sure a described layer has its snapshot (unpacking it from its blob); true when it unpacked. */
  ensure(layer: LayerBlob): Promise<boolean> {
    return this.serial(layer.diffId, () => ensureSnapshot(this.layout, layer));
  }

  /**
   * Verifies a stored blob against diffId and unpacks it, decompressing it once for both; `known` is a
   * description images.json already holds for this blob and diff ID. A blob whose content is not diffId
   * is deleted and nothing is left under snapshots/. `what` names the layer in errors.
   */
  prepare(blob: BlobExpect, diffId: string, what: string, known?: LayerBlob): Promise<LayerBlob> {
    return this.serial(diffId, async () => {
      const key = `${blob.digest} ${diffId}`;
      const done = known ?? this.verified.get(key);
      if (done) {
        await ensureSnapshot(this.layout, done);
        return done;
      }
      const r = await unpackLayer(this.layout, blob, diffId, what, { removeCorrupt: true });
      // The snapshot was there already (another blob of the same content, or an earlier session): this
      // blob still has to be checked before an image may list it.
      const layer = r.unpacked ? r.layer : await describeLayer(this.layout, blob, diffId, what);
      this.verified.set(key, layer);
      return layer;
    });
  }

  /** Runs fn after every earlier job for the same key has settled. */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(fn);
    const tail = result.then(() => undefined, () => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return result;
  }
}
