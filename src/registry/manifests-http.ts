import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RegistryError } from './errors.js';
import { parseManifest } from './manifest.js';
import { isTag, parseDigest, type Digest } from './names.js';
import { baseHeaders, readLimited, sendEmpty } from './respond.js';
import type { RegistryStorage } from './storage.js';

/** The largest manifest accepted (the spec asks registries to take at least 4 MiB). */
export const manifestLimit = 4 * 1024 * 1024;

const manifestUnknown = (name: string, reference: string): RegistryError =>
  new RegistryError('MANIFEST_UNKNOWN', `manifest "${reference}" is not in repository "${name}"`, { name, reference });

async function resolve(storage: RegistryStorage, name: string, reference: string): Promise<Digest | undefined> {
  if (isTag(reference)) return storage.resolveTag(name, reference);
  return parseDigest(reference);
}

/** GET/HEAD/PUT/DELETE of /v2/NAME/manifests/REFERENCE (a tag or a digest). */
export async function serveManifest(storage: RegistryStorage, req: IncomingMessage, res: ServerResponse, name: string, reference: string): Promise<void> {
  switch (req.method) {
    case 'GET': case 'HEAD': {
      const d = await resolve(storage, name, reference);
      const m = d && await storage.getManifest(name, d);
      if (!m) throw manifestUnknown(name, reference);
      res.writeHead(200, { ...baseHeaders, 'content-type': m.mediaType, 'content-length': m.bytes.length, 'docker-content-digest': m.digest, etag: `"${m.digest}"` });
      res.end(req.method === 'HEAD' ? undefined : m.bytes);
      return;
    }
    case 'PUT': return putManifest(storage, req, res, name, reference);
    case 'DELETE': {
      if (isTag(reference)) {
        if (!(await storage.deleteTag(name, reference))) throw manifestUnknown(name, reference);
      } else if (!(await storage.deleteManifest(name, parseDigest(reference)))) throw manifestUnknown(name, reference);
      sendEmpty(res, 202);
      return;
    }
    default:
      throw new RegistryError('UNSUPPORTED', `${req.method} is not supported on a manifest: use GET, HEAD, PUT or DELETE`);
  }
}

async function putManifest(storage: RegistryStorage, req: IncomingMessage, res: ServerResponse, name: string, reference: string): Promise<void> {
  const bytes = await readLimited(req, manifestLimit);
  const digest = parseDigest(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
  const tag = isTag(reference) ? reference : undefined;
  if (tag === undefined && parseDigest(reference).text !== digest.text) {
    throw new RegistryError('DIGEST_INVALID', `the manifest's digest is ${digest.text}, not ${reference}: push it by tag or by its real digest`, { digest: reference, actual: digest.text });
  }
  const refs = parseManifest(bytes, req.headers['content-type']);
  await storage.storeManifest(name, digest, refs, bytes, tag);
  sendEmpty(res, 201, { location: `/v2/${name}/manifests/${digest.text}`, 'docker-content-digest': digest.text });
}
