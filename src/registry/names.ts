import { RegistryError } from './errors.js';

// The distribution spec's grammar; components never start with "_", so "_layers"/"_manifests" cannot clash.
const component = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const nameRe = new RegExp(`^${component}(?:/${component})*$`);
const tagRe = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const digestRe = /^(sha256):([a-f0-9]{64})$/;
const uploadIdRe = /^[a-f0-9-]{36}$/;

/** A content digest this registry can verify (sha256 only). */
export interface Digest { algorithm: 'sha256'; hex: string; text: string }

/** Parse `sha256:<64 hex>`; anything else is DIGEST_INVALID naming the value. */
export function parseDigest(text: string): Digest {
  const m = digestRe.exec(text);
  if (!m) throw new RegistryError('DIGEST_INVALID', `invalid digest "${text}": expected sha256:<64 lowercase hex digits>`, { digest: text });
  return { algorithm: 'sha256', hex: m[2]!, text };
}

/** True for a tag the spec allows. */
export const isTag = (s: string): boolean => tagRe.test(s);

/** What a /v2/ path asks for. */
export type RegistryRoute =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'uploads'; name: string }
  | { kind: 'upload'; name: string; id: string }
  /** Lantern's: the last scan-on-push summary of a manifest (no repository component may start with "_"). */
  | { kind: 'scan'; name: string; reference: string };

const patterns: [RegExp, (m: RegExpExecArray) => RegistryRoute][] = [
  [/^(.+)\/blobs\/uploads\/?$/, (m) => ({ kind: 'uploads', name: m[1]! })],
  [/^(.+)\/blobs\/uploads\/([^/]+)$/, (m) => ({ kind: 'upload', name: m[1]!, id: m[2]! })],
  [/^(.+)\/blobs\/([^/]+)$/, (m) => ({ kind: 'blob', name: m[1]!, digest: m[2]! })],
  [/^(.+)\/manifests\/([^/]+)$/, (m) => ({ kind: 'manifest', name: m[1]!, reference: m[2]! })],
  [/^(.+)\/tags\/list$/, (m) => ({ kind: 'tags', name: m[1]! })],
  [/^(.+)\/_scan\/([^/]+)$/, (m) => ({ kind: 'scan', name: m[1]!, reference: m[2]! })],
];

/** Route a path under /v2/; undefined when it names nothing of the API. Validates names and upload ids. */
export function parseRegistryPath(pathname: string): RegistryRoute | undefined {
  if (pathname === '/v2' || pathname === '/v2/') return { kind: 'base' };
  let rest: string;
  try { rest = decodeURIComponent(pathname.slice('/v2/'.length)); } catch { throw new RegistryError('NAME_INVALID', `invalid path ${pathname}: bad percent-encoding`); }
  if (rest === '_catalog') return { kind: 'catalog' };
  for (const [re, make] of patterns) {
    const m = re.exec(rest);
    if (!m) continue;
    const route = make(m);
    if (!('name' in route)) return route;
    if (route.name.length > 255 || !nameRe.test(route.name)) {
      throw new RegistryError('NAME_INVALID', `invalid repository name "${route.name}": use lowercase components [a-z0-9] separated by ".", "_", "__", "-" and "/"`, { name: route.name });
    }
    if (route.kind === 'upload' && !uploadIdRe.test(route.id)) throw new RegistryError('BLOB_UPLOAD_UNKNOWN', `upload "${route.id}" is unknown: start one with POST /v2/${route.name}/blobs/uploads/`);
    if (route.kind === 'manifest' && !isTag(route.reference) && !route.reference.includes(':')) {
      throw new RegistryError('MANIFEST_INVALID', `invalid manifest reference "${route.reference}": use a tag or a digest`, { reference: route.reference });
    }
    return route;
  }
  return undefined;
}
