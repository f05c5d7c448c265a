import type { GcInput, InUseHook } from './gc.js';
import type { StoredImage } from './index-file.js';
import type { LayerPreparer } from './layer-prep.js';
import type { StoreLayout } from './layout.js';
import type { Mutex } from './mutex.js';
import type { Pins } from './pins.js';

/**
 * What the content store, the image index and the snapshotter of one store directory share: its
 * paths, the pins of work in flight, the lock over images.json and the images it holds now.
 */
export interface StoreCore {
  layout: StoreLayout;
  pins: Pins;
  /** Serialises changes of images.json and the collections that follow them. */
  lock: Mutex;
  /** One unpack per layer at a time; remembers verified blob -> diff ID pairs. */
  layers: LayerPreparer;
  /** The images images.json holds now. */
  images(): StoredImage[];
  /** True when a snapshot's fs dir is a lower dir of a live container. */
  inUse?: InUseHook;
  /** Resolves once the directories exist and images.json is loaded. */
  ready(): Promise<void>;
}

/** The inputs every collection over this store starts from. */
export function gcInput(core: StoreCore): GcInput {
  return { layout: core.layout, images: core.images(), pinned: (d) => core.pins.has(d), inUse: core.inUse };
}

/** Holds digests for the duration of fn (a lease), so a concurrent collection leaves them alone. */
export async function withPins<T>(core: StoreCore, digests: string[], fn: () => Promise<T>): Promise<T> {
  for (const d of digests) core.pins.add(d);
  try {
    return await fn();
  } finally {
    for (const d of digests) core.pins.release(d);
  }
}
