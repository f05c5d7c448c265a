import { ApiError } from '../api/errors.js';
import type { ImageRecord, ImageStore } from '../image/types.js';
import { platformString } from '../image/platform.js';
import { pullPlatform } from '../image/distribution/manifest.js';
import { serverRegistryReference } from '../image/distribution/server-name.js';
import { parseReference } from '../image/reference.js';
import { pullToStore } from './image-transfer.js';
import { loopbackAliases, type RegistryAuth } from '../api/registry-auth.js';
import { namesServerRegistry, type RegistryAccess, type ServerRegistrySource } from './registry-access.js';

export type { ServerRegistrySource } from './registry-access.js';

/**
 * The server's registry from a remote agent's API client config (server URL, node credential, the
 * CA pinned at join); `mirror`: also try it first for images of other registries.
 */
export function serverRegistrySource(config: { server: string; token?: string; ca?: string }, mirror: boolean): ServerRegistrySource | undefined {
  if (!config.token) return undefined;
  const url = new URL(config.server);
  const source: ServerRegistrySource = { host: url.host, scheme: url.protocol === 'https:' ? 'https' : 'http', token: config.token, mirror };
  const aliases = loopbackAliases(url.host);
  if (aliases.length > 0) source.aliases = aliases;
  if (config.ca) source.ca = config.ca;
  return source;
}

/**
 * Pulls `ref` for a pod or a build's FROM. An image that names the server's registry is pulled
 * from it (its scheme, CA and the node's credential). Otherwise, where `mirror` is on, the server's
 * registry is tried first (the server node's images are mirrored there, see src/registry/README.md),
 * then, when it lacks the image or cannot be reached, the image's own registry, whose error is the
 * one the pod shows. `log` says where it came from.
 */
export async function pullForPod(images: ImageStore, ref: string, access: RegistryAccess, log: (m: string) => void, auth?: RegistryAuth): Promise<ImageRecord> {
  const source = access.server;
  const mirror = source?.mirror === true && !namesServerRegistry(source, ref) ? source : undefined;
  if (mirror) {
    const from = serverRegistryReference(mirror.host, ref);
    try {
      // An explicit platform: the server mirrors only its own node's platform, which may not be ours.
      const image = await pullToStore(images, ref, { platform: platformString(pullPlatform()) }, access, {
        reference: from, scheme: mirror.scheme, auth: { registrytoken: mirror.token }, ...(mirror.ca ? { ca: mirror.ca } : {}),
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
  // auth: the pod's imagePullSecrets for this registry (pull-secrets.ts); never sent to the mirror.
  const image = await pullToStore(images, ref, auth ? { auth } : {}, access);
  if (mirror) log(`pulled image "${ref}" from ${parseReference(ref).domain}`);
  return image;
}
