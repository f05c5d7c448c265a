import { ApiError } from '../api/errors.js';

/** A parsed image reference, normalised the way Docker does it. */
export interface ImageReference {
  /** Registry host, "docker.io" when none is given. */
  domain: string;
  /** Repository path, "library/busybox" for official Docker Hub images. */
  path: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

function bad(ref: string, why: string): ApiError {
  return new ApiError('BadRequest', `invalid image reference "${ref}": ${why}`);
}

/** Parses "busybox", "busybox:1", "myreg:5000/a/b:t", "name@sha256:..." (throws BadRequest). */
export function parseReference(ref: string): ImageReference {
  let rest = ref.trim();
  if (rest === '') throw bad(ref, 'it is empty');
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(ref, 'a digest must be "sha256:" followed by 64 lowercase hex digits');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(ref, `tag "${tag}" may hold only letters, digits, "_", "." and "-" (max 128)`);
  }
  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    // Docker's rule: the first component is a registry when it looks like a host name.
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN.test(first)) throw bad(ref, `"${first}" is not a valid registry host`);
      domain = first === 'index.docker.io' ? 'docker.io' : first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  for (const part of path.split('/')) {
    if (!COMPONENT.test(part)) {
      throw bad(ref, part.toLowerCase() !== part && COMPONENT.test(part.toLowerCase())
        ? 'repository names must be lowercase'
        : `"${part}" is not a valid repository name component`);
    }
  }
  if (/^[a-f0-9]{64}$/.test(path.split('/').pop() ?? '') && domain === 'docker.io' && path === `library/${rest}`) {
    throw bad(ref, 'a repository name cannot be 64 hex digits (that is an image ID)');
  }
  if (!tag && !digest) tag = 'latest';
  const out: ImageReference = { domain, path };
  if (tag) out.tag = tag;
  if (digest) out.digest = digest;
  return out;
}

/** "domain/path", e.g. "docker.io/library/busybox". */
export function repository(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The canonical string: "docker.io/library/busybox:latest", "reg:5000/a/b@sha256:...". */
export function formatReference(ref: ImageReference): string {
  return `${repository(ref)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Normalises any accepted spelling to the canonical string. */
export function normalizeReference(ref: string): string {
  return formatReference(parseReference(ref));
}

/** Normalises a name an image is stored under: a tag, never a digest. */
export function normalizeTag(ref: string): string {
  const parsed = parseReference(ref);
  if (parsed.digest) throw bad(ref, 'an image can be named by a tag only; drop the "@sha256:..." part');
  return formatReference(parsed);
}
