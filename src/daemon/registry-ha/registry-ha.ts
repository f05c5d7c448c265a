/**
 * HA registry (issue 16 item 2): any server of a cluster serves every image pushed through any other.
 * Wraps the registry's HTTP handler: a manifest or blob missing here is fetched from a peer server
 * (verified against its digest, then stored here: replicated on first pull), and tags are resolved
 * through the shared store (SharedTags), which every tagged push writes. See README.md.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalRegistry, RegistryCaller, RegistryHandler } from '../../registry/index.js';
import { isTag, parseManifest, parseRegistryPath, readLimited, sendRegistryError } from '../../registry/index.js';
import { userMay } from '../../registry/user-access.js';
import { peerGet, peerHeader, peerUrls, readBody, type PeerAccess } from './peer-fetch.js';
import { SharedTags } from './shared-tags.js';

const manifestLimit = 4 * 1024 * 1024;
const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The registry as one server of several sees it: its own storage, its peers, the shared tags. */
export class RegistryHa {
  private access: PeerAccess | undefined;
  private tags: SharedTags | undefined;

  constructor(private readonly reg: { handler: RegistryHandler; local: LocalRegistry }, private readonly log: (m: string) => void = (m) => console.error(`lanternd: registry: ${m}`)) {}

  /** Turn on sharing (a shared store: etcd); until then the handler is the plain registry's. */
  attach(access: PeerAccess): void { this.access = access; this.tags = new SharedTags(access.store); }

  /** The HTTP handler to serve under /v2/. */
  readonly handler: RegistryHandler = async (req, res, caller) => {
    const tags = this.tags;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://registry');
    let route: ReturnType<typeof parseRegistryPath>;
    try { route = parseRegistryPath(url.pathname); } catch { return this.reg.handler(req, res, caller); }
    // Only a caller allowed this very request makes this server reach its peers or the shared tags;
    // the plain handler answers the rest (401/403).
    const repository = route !== undefined && 'name' in route ? route.name : undefined;
    if (tags === undefined || repository === undefined || !allowed(caller, method, repository)) return this.reg.handler(req, res, caller);
    const fromPeer = req.headers[peerHeader] !== undefined;
    const read = method === 'GET' || method === 'HEAD';
    try {
      if (route?.kind === 'manifest' && read) await this.prepareManifest(tags, route.name, route.reference, fromPeer);
      else if (route?.kind === 'manifest' && method === 'PUT' && isTag(route.reference)) {
        return await this.putTagged(tags, req, res, route.name, route.reference);
      } else if (route?.kind === 'manifest' && method === 'DELETE') {
        await this.reg.handler(req, res, caller);
        if (res.statusCode === 202) await this.forgetShared(tags, route.name, route.reference);
        return;
      } else if (route?.kind === 'blob' && read && !fromPeer) await this.ensureBlob(route.name, route.digest);
      else if (route?.kind === 'tags' && method === 'GET' && !url.searchParams.has('n') && !url.searchParams.has('last')) {
        if (await this.listTags(tags, req, res, route.name)) return;
      }
    } catch (e) {
      sendRegistryError(res, e, method);
      return;
    }
    return this.reg.handler(req, res, caller);
  };

  /** Before a manifest GET: the shared tag wins over the local one; a missing manifest comes from a peer. */
  private async prepareManifest(tags: SharedTags, name: string, ref: string, fromPeer: boolean): Promise<void> {
    const local = this.reg.local;
    if (!isTag(ref)) {
      if (!fromPeer && !(await local.has(name, ref))) await this.fetchImage(name, ref);
      return;
    }
    const shared = await tags.get(name, ref);
    if (shared !== undefined && 'deleted' in shared) { await local.deleteTag(name, ref).catch(() => false); return; }
    if (shared !== undefined) {
      if (!fromPeer && !(await local.has(name, shared.digest))) await this.fetchImage(name, shared.digest);
      // Not here and no peer answered: a miss (404) rather than an older image under the same tag.
      if ((await local.tagDigest(name, ref)) !== shared.digest && !(await local.tag(name, ref, shared.digest))) await local.deleteTag(name, ref);
      return;
    }
    // No shared tag: an image from before the cluster was HA, or mirrored from a server's node.
    if (!fromPeer && (await local.tagDigest(name, ref)) === undefined) await this.fetchImage(name, ref);
  }

  /** A manifest (with every blob and child manifest it needs) from the first peer that has it; its digest, or undefined. */
  private async fetchImage(name: string, ref: string): Promise<string | undefined> {
    for (const base of await peerUrls(this.access!.store)) {
      try {
        const d = await this.fetchImageFrom(base, name, ref);
        if (d !== undefined) { this.log(`${name}@${d} fetched from ${base}`); return d; }
      } catch (e) {
        this.log(`fetching ${name}:${ref} from ${base} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return undefined;
  }

  private async fetchImageFrom(base: string, name: string, ref: string): Promise<string | undefined> {
    const res = await peerGet(this.access!, base, `/v2/${name}/manifests/${ref}`);
    if (res === undefined) return undefined;
    if (res.statusCode !== 200) { res.resume(); return undefined; }
    const bytes = await readBody(res, manifestLimit);
    if (bytes === undefined) return undefined;
    const digest = sha256(bytes);
    // A peer answers exact bytes: by digest they must hash to it (a wrong answer is never stored).
    if (!isTag(ref) && digest !== ref) throw new Error(`the manifest answered for ${ref} has digest ${digest}`);
    const mediaType = res.headers['content-type'];
    const refs = parseManifest(bytes, mediaType);
    for (const m of refs.manifests) if (!(await this.reg.local.has(name, m.text))) await this.fetchImageFrom(base, name, m.text);
    for (const b of refs.blobs) if (!(await this.reg.local.has(name, b.text))) await this.fetchBlobFrom(base, name, b.text);
    await this.reg.local.putManifest(name, bytes, isTag(ref) ? ref : undefined, mediaType);
    return digest;
  }

  /** A blob from `base` into local storage (putBlob hashes it and stores nothing on a mismatch). */
  private async fetchBlobFrom(base: string, name: string, digest: string): Promise<boolean> {
    const res = await peerGet(this.access!, base, `/v2/${name}/blobs/${digest}`);
    if (res === undefined) return false;
    if (res.statusCode !== 200) { res.resume(); return false; }
    await this.reg.local.putBlob(name, digest, res);
    return true;
  }

  private async ensureBlob(name: string, digest: string): Promise<void> {
    if (await this.reg.local.has(name, digest)) return;
    for (const base of await peerUrls(this.access!.store)) {
      try { if (await this.fetchBlobFrom(base, name, digest)) return; } catch (e) {
        this.log(`fetching blob ${name}@${digest} from ${base} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** A push by tag: stored here with the usual checks, then the tag is shared before the client hears 201. */
  private async putTagged(tags: SharedTags, req: IncomingMessage, res: ServerResponse, name: string, tag: string): Promise<void> {
    const bytes = await readLimited(req, manifestLimit);
    const digest = await this.reg.local.putManifest(name, bytes, tag, req.headers['content-type']);
    await tags.set(name, tag, digest);
    res.writeHead(201, { 'docker-distribution-api-version': 'registry/2.0', location: `/v2/${name}/manifests/${digest}`, 'docker-content-digest': digest, 'content-length': 0 });
    res.end();
  }

  /** After a DELETE here: the tag (or every tag naming the digest) is deleted for every server. */
  private async forgetShared(tags: SharedTags, name: string, ref: string): Promise<void> {
    if (isTag(ref)) { await tags.delete(name, ref); return; }
    for (const [tag, t] of await tags.list(name)) if ('digest' in t && t.digest === ref) await tags.delete(name, tag);
  }

  /** tags/list (unpaginated): this server's tags and the shared ones, less the deleted. False: let the plain handler answer. */
  private async listTags(tags: SharedTags, req: IncomingMessage, res: ServerResponse, name: string): Promise<boolean> {
    const local = await this.reg.local.tags(name);
    const shared = await tags.list(name);
    const all = new Set(local ?? []);
    for (const [tag, t] of shared) { if ('digest' in t) all.add(tag); else all.delete(tag); }
    if (local === undefined && all.size === 0) return false;
    const body = JSON.stringify({ name, tags: [...all].sort() });
    res.writeHead(200, { 'docker-distribution-api-version': 'registry/2.0', 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}

/** The registry's own rule (handler.ts): admin anything, node pulls, a user as RBAC says. */
function allowed(c: RegistryCaller | undefined, method: string, repository: string): boolean {
  if (c === undefined) return false;
  const read = method === 'GET' || method === 'HEAD';
  return c.role === 'admin' || (c.role === 'node' && read) || (c.role === 'user' && userMay(c, method, repository).allowed);
}
