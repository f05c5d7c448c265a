import { ApiError } from '../api/errors.js';
import type { ImageRecord, ImageStore } from '../image/types.js';
import { platformString } from '../image/platform.js';
import { pullPlatform } from '../image/distribution/manifest.js';
import { serverRegistryReference } from '../image/distribution/server-name.js';
import { parseReference } from '../image/reference.js';
import { pullToStore } from './image-transfer.js';

/** The server's built-in registry as a remote agent reaches it: the API's host:port, node credential, pinned CA. */
export interface ServerRegistrySource {
  /** "10.0.0.1:6443". */
  host: string;
  scheme: 'http' | 'https';
  /** The node credential (the registry lets nodes pull). */
  token: string;
  /** PEM of the cluster CA pinned at join. */
  ca?: string;
}

/** The source from the agent's API client config (server URL, token, CA). */
export function serverRegistrySource(config: { server: string; token?: string; ca?: string }): ServerRegistrySource | undefined {
  if (!config.token) return undefined;
  const url = new URL(config.server);
  const source: ServerRegistrySource = { host: url.host, scheme: url.protocol === 'https:' ? 'https' : 'http', token: config.token };
  if (config.ca) source.ca = config.ca;
  return source;
}

/**
 * Pulls `ref` for a pod: from the server's registry first (where the server node's images are
 * mirrored, see src/registry/README.md), then, when it lacks the image or cannot be reached, from
 * the image's own registry, whose error is the one the pod shows. `log` says where it came from.
 */
export async function pullForPod(images: ImageStore, ref: string, source: ServerRegistrySource | undefined, log: (m: string) => void): Promise<ImageRecord> {
  if (source) {
    const from = serverRegistryReference(source.host, ref);
    try {
      // An explicit platform: the server mirrors only its own node's platform, which may not be ours.
      const image = await pullToStore(images, ref, { platform: platformString(pullPlatform()) }, {
        reference: from, scheme: source.scheme, auth: { registrytoken: source.token }, ...(source.ca ? { ca: source.ca } : {}),
      });
      log(`pulled image "${ref}" from the server's registry (${from})`);
      return image;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      log(e instanceof ApiError && e.code === 'NotFound'
        ? `image "${ref}" is not in the server's registry (${from}); pulling from ${parseReference(ref).domain}`
        : `pulling image "${ref}" from the server's registry failed (${why}); pulling from ${parseReference(ref).domain}`);
    }
  }
  const image = await pullToStore(images, ref, {});
  if (source) log(`pulled image "${ref}" from ${parseReference(ref).domain}`);
  return image;
}
