import type { ImagePullOptions, ImagePushOptions, ImagePushResult } from '../api/image-transfer.js';
import { pullImage, pushImage, type PullOptions } from '../image/distribution/index.js';
import type { ImageRecord, ImageStore } from '../image/types.js';
import { transferOptionsFor, type RegistryAccess } from './registry-access.js';

/**
 * Pulls into the node's store, reaching REF's registry as `access` says (registry-access.ts);
 * `source` fetches from elsewhere (the server's registry mirror) but names the image `ref`.
 */
export function pullToStore(images: ImageStore, ref: string, opts: ImagePullOptions, access: RegistryAccess, source?: PullOptions['source']): Promise<ImageRecord> {
  return pullImage(images, ref, { ...opts, ...transferOptionsFor(access, ref, opts.auth), ...(source ? { source } : {}) });
}

/** Pushes from the node's store. */
export async function pushFromStore(images: ImageStore, node: string, ref: string, opts: ImagePushOptions, access: RegistryAccess): Promise<ImagePushResult> {
  const r = await pushImage(images, ref, { ...opts, ...transferOptionsFor(access, ref, opts.auth) });
  return { node, ...r };
}

/** Adds a name to an image (docker tag). */
export function tagInStore(images: ImageStore, source: string, target: string): Promise<ImageRecord> {
  return images.index.tag(source, target);
}
