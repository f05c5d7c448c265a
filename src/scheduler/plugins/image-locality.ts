import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
import { ExtensionKey, type CacheExtension } from '../framework/extension.js';
import type { ScorePlugin } from '../framework/plugin.js';

const mb = 1024 * 1024;
/** Below this much image already present the node gets 0 (Kubernetes' minThreshold). */
export const minThreshold = 23 * mb;
/** Per container, this much image already present gets the full score (Kubernetes' maxContainerThreshold). */
export const maxContainerThreshold = 1000 * mb;

/**
 * Docker's spelling of an image name, leniently (the scheduler must not throw): "busybox" is
 * "docker.io/library/busybox:latest". Nodes report canonical names; pods often give short ones.
 */
export function normalizeImageName(name: string): string {
  let ref = name.trim();
  const at = ref.indexOf('@');
  const lastSlash = ref.lastIndexOf('/');
  if (at < 0 && ref.lastIndexOf(':') <= lastSlash) ref += ':latest';
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasHost = slash >= 0 && (/[.:]/.test(first) || first === 'localhost');
  if (!hasHost) ref = `docker.io/${slash < 0 ? 'library/' : ''}${ref}`;
  return ref.replace(/^index\.docker\.io\//, 'docker.io/');
}

/** The pod's images (normalised once per cycle) and on how many nodes each of them is. */
class ImageState implements StateData {
  constructor(readonly images: string[], readonly nodesWith: Map<string, number>, readonly totalNodes: number) {}
  clone(): ImageState { return this; } // never changed after PreScore
}
const key = new StateKey<ImageState>('ImageLocality');

/**
 * Normalised image names to sizes, per Node object. Snapshots share Node objects until the watch
 * replaces them, so each node's list is normalised once rather than every cycle.
 */
const imageCache = new WeakMap<Node, Map<string, number>>();
/** A node's images: normalised name to size. */
export function imagesOf(node: Node): Map<string, number> {
  let out = imageCache.get(node);
  if (!out) {
    out = new Map();
    for (const img of node.status?.images ?? []) for (const name of img.names) out.set(normalizeImageName(name), img.sizeBytes);
    imageCache.set(node, out);
  }
  return out;
}

/** On how many nodes each image is (by normalised name), kept by the scheduler's cache as nodes come, change and go. */
export class ImageCounts implements CacheExtension {
  private readonly counts = new Map<string, number>();

  nodeChanged(before: Node | undefined, after: Node | undefined): void {
    if (before) this.count(before, -1);
    if (after) this.count(after, 1);
  }

  /** On how many nodes image is. */
  nodesWith(image: string): number { return this.counts.get(image) ?? 0; }

  /** Every image with its count (tests). */
  entries(): IterableIterator<[string, number]> { return this.counts.entries(); }

  private count(node: Node, delta: number): void {
    for (const image of imagesOf(node).keys()) {
      const n = (this.counts.get(image) ?? 0) + delta;
      if (n <= 0) this.counts.delete(image); else this.counts.set(image, n);
    }
  }
}

/** ImageLocality's cache extension. */
export const imageCountsKey = new ExtensionKey('ImageLocality/counts', () => new ImageCounts());

/** The containers' images, summed as size × (share of nodes that have it), then mapped onto 0..100. */
function priority(sum: number, containers: number): number {
  const maxThreshold = maxContainerThreshold * containers;
  const clamped = Math.min(maxThreshold, Math.max(minThreshold, sum));
  return Math.floor((100 * (clamped - minThreshold)) / (maxThreshold - minThreshold));
}

const images = (pod: Pod): string[] => pod.spec.containers.map((c) => normalizeImageName(c.image));

/**
 * Prefer nodes that already hold the pod's images (from node.status.images), weighted by size and
 * scaled down by how widely each image is spread, so one node does not attract every pod (Kubernetes'
 * "node heating" guard). Scores are 0..100 without normalisation.
 */
export const imageLocality = {
  name: 'ImageLocality',
  extension: imageCountsKey,
  preScore(pod, _feasible, state, snapshot) {
    const podImages = images(pod);
    const wanted = new Set(podImages);
    const nodesWith = new Map<string, number>();
    const counts = snapshot.extensions?.get(imageCountsKey);
    if (counts) {
      for (const image of wanted) nodesWith.set(image, counts.nodesWith(image));
    } else {
      for (const n of snapshot.nodes) {
        const held = imagesOf(n.node);
        for (const image of wanted) if (held.has(image)) nodesWith.set(image, (nodesWith.get(image) ?? 0) + 1);
      }
    }
    state.write(key, new ImageState(podImages, nodesWith, snapshot.nodes.length));
    // No node holds any of the images: every node scores 0.
    return [...nodesWith.values()].some((n) => n > 0) ? undefined : 'skip';
  },
  score(pod, node, state) {
    const s = state.read(key);
    if (!s || pod.spec.containers.length === 0) return 0;
    const here = imagesOf(node.node);
    let sum = 0;
    for (const image of s.images) {
      const size = here.get(image);
      if (size !== undefined) sum += Math.floor(size * ((s.nodesWith.get(image) ?? 0) / s.totalNodes));
    }
    return priority(sum, pod.spec.containers.length);
  },
} satisfies ScorePlugin;
