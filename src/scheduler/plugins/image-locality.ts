import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { StateKey, type StateData } from '../framework/cycle-state.js';
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
  preScore(pod, _feasible, state, snapshot) {
    const podImages = images(pod);
    const wanted = new Set(podImages);
    const nodesWith = new Map<string, number>();
    if (snapshot.imageNodeCounts) {
      for (const image of wanted) nodesWith.set(image, snapshot.imageNodeCounts.get(image) ?? 0);
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
