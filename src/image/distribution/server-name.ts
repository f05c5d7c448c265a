import { parseReference } from '../reference.js';

/** Where an image lives in the server's built-in registry: repository and tag (or digest). */
export interface ServerRegistryName {
  /** "library/busybox" for docker.io/library/busybox, "ghcr.io/org/app", "localhost-5000/team/app". */
  repository: string;
  /** The tag, or the digest ("sha256:...") when the reference pins one. */
  reference: string;
}

/**
 * Maps an image reference to its place in the server's built-in registry. Docker Hub names drop the
 * host (docker.io/library/busybox:1 → library/busybox:1, as `docker pull busybox` would name it);
 * any other registry's host becomes the first path component, lower-cased with ":" turned into "-"
 * (localhost:5000/team/app:1 → localhost-5000/team/app:1), since ":" cannot appear in a repository
 * name. A Docker Hub namespace never holds "." or "-", so the two kinds never collide.
 */
export function serverRegistryName(ref: string): ServerRegistryName {
  const r = parseReference(ref);
  const host = r.domain.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
  const repository = r.domain === 'docker.io' ? r.path : `${host}/${r.path}`;
  return { repository, reference: r.digest ?? r.tag ?? 'latest' };
}

/** The reference that names `ref`'s copy in the registry served at `serverHost` ("10.0.0.1:6443"). */
export function serverRegistryReference(serverHost: string, ref: string): string {
  const n = serverRegistryName(ref);
  return `${serverHost}/${n.repository}${n.reference.startsWith('sha256:') ? '@' : ':'}${n.reference}`;
}
