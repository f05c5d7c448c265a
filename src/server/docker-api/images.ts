/** Image routes on the node's image store (NodeServices): list, inspect, pull with progress, tag, rm. */
import type { ImageSummary } from '../../api/node-services.js';
import type { ImageProgress } from '../../api/image-transfer.js';
import { decodeRegistryAuth, registryAuthHeader } from '../../api/registry-auth.js';
import { ApiError } from '../../api/errors.js';
import { DockerError, queryBool, sendJson } from './http-util.js';
import { parseFiltersLoose } from './filters.js';
import type { DockerRequest, DockerRoute } from './route.js';

/** A stored name as Docker shows it: "busybox:latest", not "docker.io/library/busybox:latest". */
export function shortName(name: string): string {
  return name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
}

const withSha = (id: string): string => (id.startsWith('sha256:') ? id : `sha256:${id}`);

/** GET /images/json entries: one per image ID, with all its names. */
export function imageEntries(items: ImageSummary[]): Record<string, unknown>[] {
  const byId = new Map<string, ImageSummary[]>();
  for (const i of items) byId.set(i.id, [...byId.get(i.id) ?? [], i]);
  return [...byId.values()].map((group) => {
    const first = group[0]!;
    const names = [...new Set(group.flatMap((g) => g.names).map(shortName))].sort();
    const tags = names.filter((n) => !n.includes('@'));
    const repos = [...new Set(tags.map((n) => n.slice(0, n.lastIndexOf(':') > n.lastIndexOf('/') ? n.lastIndexOf(':') : n.length)))];
    return {
      Id: withSha(first.id), ParentId: '', RepoTags: tags, RepoDigests: first.digest ? repos.map((r) => `${r}@${first.digest}`) : [],
      Created: Math.floor(Date.parse(first.createdAt ?? '') / 1000) || 0, Size: first.sizeBytes, SharedSize: -1, VirtualSize: first.sizeBytes,
      Labels: {}, Containers: -1,
    };
  });
}

async function list(r: DockerRequest): Promise<void> {
  const filters = parseFiltersLoose(r.query.get('filters'));
  let entries = imageEntries(await r.ctx.node.listImages());
  const refs = filters.get('reference');
  if (refs) {
    entries = entries.filter((e) => (e.RepoTags as string[]).some((t) => refs.some((ref) => t === ref || t === `${ref}:latest` || t.startsWith(`${ref}:`) && !ref.includes(':'))));
  }
  if (!queryBool(r.query, 'all')) entries = entries.filter((e) => (e.RepoTags as string[]).length > 0 || (filters.get('dangling') ?? []).includes('true'));
  sendJson(r.res, 200, entries);
}

async function inspect(r: DockerRequest): Promise<void> {
  if (!r.ctx.node.inspectImage) throw new DockerError(501, 'this node cannot inspect images');
  try {
    const img = await r.ctx.node.inspectImage(r.params[0]!);
    sendJson(r.res, 200, { ...img, RepoTags: img.RepoTags.map(shortName), RepoDigests: img.RepoDigests.map(shortName), Parent: '', Comment: '', DockerVersion: '', Author: '', VirtualSize: img.Size, GraphDriver: { Name: 'overlay2', Data: {} }, Metadata: { LastTagTime: '0001-01-01T00:00:00Z' } });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') throw new DockerError(404, `No such image: ${r.params[0]!}`);
    throw e;
  }
}

/**
 * GET /images/{name}/history: one row per layer, newest first (the top row names the image). Lantern
 * keeps no config history nor per-layer sizes, so CreatedBy is empty and the image's size sits on
 * the top row; Docker shows the build steps (including empty layers) instead.
 */
async function history(r: DockerRequest): Promise<void> {
  if (!r.ctx.node.inspectImage) throw new DockerError(501, 'this node cannot inspect images');
  let img;
  try { img = await r.ctx.node.inspectImage(r.params[0]!); } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') throw new DockerError(404, `No such image: ${r.params[0]!}`);
    throw e;
  }
  const created = Math.floor(Date.parse(img.Created) / 1000) || 0;
  const layers = [...img.RootFS.Layers].reverse();
  sendJson(r.res, 200, (layers.length === 0 ? [''] : layers).map((_, i) => ({
    Id: i === 0 ? withSha(img.Id) : '<missing>', Created: created, CreatedBy: '', Tags: i === 0 ? img.RepoTags.map(shortName) : null,
    Size: i === 0 ? img.Size : 0, Comment: '',
  })));
}

/** POST /images/create?fromImage=&tag=: pull, streaming Docker's JSON progress messages. */
async function pull(r: DockerRequest): Promise<void> {
  const from = r.query.get('fromImage');
  if (!from) throw new DockerError(400, 'fromImage: the image to pull is required (docker import of fromSrc is not supported)');
  const tag = r.query.get('tag');
  const ref = tag ? (tag.startsWith('sha256:') ? `${from}@${tag}` : `${from}:${tag}`) : from.includes(':') || from.includes('@') ? from : `${from}:latest`;
  let auth;
  try { auth = decodeRegistryAuth(r.req.headers[registryAuthHeader] as string | undefined); } catch (e) { throw new DockerError(400, (e as Error).message); }
  r.res.writeHead(200, { 'content-type': 'application/json' });
  const send = (m: Record<string, unknown>): void => { r.res.write(`${JSON.stringify(m)}\r\n`); };
  send({ status: `Pulling from ${shortName(ref).replace(/[:@][^/]*$/, '')}`, id: tag ?? 'latest' });
  const onProgress = (p: ImageProgress): void => {
    const id = p.layer ? p.layer.replace(/^sha256:/, '').slice(0, 12) : undefined;
    send({ status: p.status, ...(id ? { id } : {}), ...(p.total !== undefined ? { progressDetail: { current: p.current ?? 0, total: p.total } } : {}) });
  };
  const controller = new AbortController();
  r.signal.addEventListener('abort', () => controller.abort());
  try {
    const image = await r.ctx.node.pullImage(ref, { onProgress, signal: controller.signal, ...(auth ? { auth } : {}), ...(r.query.get('platform') ? { platform: r.query.get('platform')! } : {}) });
    send({ status: `Digest: ${image.digest}` });
    send({ status: `Status: Downloaded newer image for ${shortName(ref)}` });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    send({ errorDetail: { message }, error: message });
  }
  r.res.end();
}

async function tag(r: DockerRequest): Promise<void> {
  const repo = r.query.get('repo');
  if (!repo) throw new DockerError(400, 'repo: the new repository name is required');
  const t = r.query.get('tag') || 'latest';
  try { await r.ctx.node.tagImage(r.params[0]!, `${repo}:${t}`); } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') throw new DockerError(404, `No such image: ${r.params[0]!}`);
    throw e;
  }
  r.res.writeHead(201).end();
}

async function remove(r: DockerRequest): Promise<void> {
  let removal;
  try { removal = await r.ctx.node.removeImage(r.params[0]!); } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') throw new DockerError(404, `No such image: ${r.params[0]!}`);
    if (e instanceof ApiError && e.code === 'Conflict') throw new DockerError(409, e.message);
    throw e;
  }
  const untagged = removal.untagged ?? [r.params[0]!];
  sendJson(r.res, 200, [...untagged.map((u) => ({ Untagged: shortName(u) })), ...(removal.deleted ?? []).map((d) => ({ Deleted: d }))]);
}

/** The image routes (names may hold "/" and ":", so the name pattern is greedy). */
export const imageRoutes: DockerRoute[] = [
  { method: 'GET', pattern: /^\/images\/json$/, handler: list },
  { method: 'POST', pattern: /^\/images\/create$/, handler: pull },
  { method: 'GET', pattern: /^\/images\/(.+)\/json$/, handler: inspect },
  { method: 'GET', pattern: /^\/images\/(.+)\/history$/, handler: history },
  { method: 'POST', pattern: /^\/images\/(.+)\/tag$/, handler: tag },
  { method: 'DELETE', pattern: /^\/images\/(.+)$/, handler: remove },
];
