import { ApiError } from '../api/errors.js';
import type { ImagePullOptions, ImagePushOptions, ImagePushResult } from '../api/image-transfer.js';
import { pullImage, pushImage, type PullOptions } from '../image/distribution/index.js';
import { OciImageStore } from '../image/store.js';
import type { ImageRecord, ImageStore } from '../image/types.js';

/** Registries reachable over plain HTTP besides loopback ones: LANTERN_INSECURE_REGISTRIES="host:port,host". */
export function insecureRegistries(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.LANTERN_INSECURE_REGISTRIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function ociStore(images: ImageStore): OciImageStore {
  if (!(images instanceof OciImageStore)) throw new ApiError('BadRequest', 'this node\'s image store cannot talk to registries');
  return images;
}

/** Pulls into the node's store; `source` fetches from elsewhere (the server's registry) but names the image `ref`. */
export function pullToStore(images: ImageStore, ref: string, opts: ImagePullOptions, source?: PullOptions['source']): Promise<ImageRecord> {
  return pullImage(ociStore(images), ref, { ...opts, insecureRegistries: insecureRegistries(), ...(source ? { source } : {}) });
}

/** Pushes from the node's store. */
export async function pushFromStore(images: ImageStore, node: string, ref: string, opts: ImagePushOptions): Promise<ImagePushResult> {
  const r = await pushImage(ociStore(images), ref, { ...opts, insecureRegistries: insecureRegistries() });
  return { node, ...r };
}

/** Adds a name to an image (docker tag). */
export function tagInStore(images: ImageStore, source: string, target: string): Promise<ImageRecord> {
  return ociStore(images).tag(source, target);
}
