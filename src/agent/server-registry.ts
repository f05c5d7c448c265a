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
 * CA pinned at join); `mirror`: also try it first for images of other registries. `servers`: with
 * several servers, the whole list and the client's move-on; `host` then reads the client's current
 * server each time (config.server is live), and every server's host names the same registry.
 */
export function serverRegistrySource(
  config: { server: string; token?: string; ca?: string }, mirror: boolean,
  servers?: { servers: readonly string[]; reportFailure(server: string, why: string): void },
): ServerRegistrySource | undefined {
  if (!config.token) return undefined;
  const url = new URL(config.server);
  const others = (servers?.servers ?? []).map((s) => new URL(s).host);
  const source: ServerRegistrySource = {
    get host(): string { return new URL(config.server).host; },
    get aliases(): string[] {
      const host = new URL(config.server).host;
      const names = [...loopbackAliases(host), ...others.filter((h) => h !== host).flatMap((h) => [h, ...loopbackAliases(h)])];
      return [...new Set(names)];
    },
    scheme: url.protocol === 'https:' ? 'https' : 'http', token: config.token, mirror,
  };
  if (config.ca) source.ca = config.ca;
  if (servers && servers.servers.length > 1) {
    const byHost = new Map(servers.servers.map((s) => [new URL(s).host, s]));
    source.failover = { count: servers.servers.length, moveOn: (host, why) => servers.reportFailure(byHost.get(host) ?? host, why) };
  }
  return source;
}

/** A pull from the server's registry that could not reach it (refused, reset, 5xx): another server may serve it. */
function unreachable(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'Unavailable';
}

/** `pull(host)` against the current server, moving on to the next while the registry cannot be reached. */
async function onAnyServer<T>(source: ServerRegistrySource, pull: (host: string) => Promise<T>, log: (m: string) => void): Promise<T> {
  const tries = source.failover?.count ?? 1;
  for (let n = 1; ; n++) {
    const host = source.host;
    try {
      return await pull(host);
    } catch (e) {
      if (n >= tries || !unreachable(e) || !source.failover) throw e;
      log(`the server's registry at ${host} cannot be reached (${e instanceof Error ? e.message : String(e)}); trying the next server`);
      source.failover.moveOn(host, e instanceof Error ? e.message : String(e));
    }
  }
}

/** `ref` (which names the server's registry by one of its servers' hosts) as served at `host`. */
function atHost(ref: string, host: string): string {
  const domain = parseReference(ref).domain;
  return ref.toLowerCase().startsWith(domain.toLowerCase() + '/') ? host + ref.slice(domain.length) : ref;
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
  if (source && namesServerRegistry(source, ref)) {
    // Any server's host names the one registry; pull from whichever server the client is on now.
    return onAnyServer(source, (host) => pullToStore(images, ref, auth ? { auth } : {}, access, atHost(ref, host) === ref ? undefined : {
      reference: atHost(ref, host), scheme: source.scheme, auth: auth ?? { registrytoken: source.token }, ...(source.ca ? { ca: source.ca } : {}),
    }), log);
  }
  const mirror = source?.mirror === true ? source : undefined;
  if (mirror) {
    let from = serverRegistryReference(mirror.host, ref);
    try {
      // An explicit platform: the server mirrors only its own node's platform, which may not be ours.
      const image = await onAnyServer(mirror, (host) => {
        from = serverRegistryReference(host, ref);
        return pullToStore(images, ref, { platform: platformString(pullPlatform()) }, access, {
          reference: from, scheme: mirror.scheme, auth: { registrytoken: mirror.token }, ...(mirror.ca ? { ca: mirror.ca } : {}),
        });
      }, log);
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
