/**
 * Images in and out of the node: POST /build (a tar context, Docker's classic-builder JSON stream),
 * GET /images/get and /images/{name}/get (docker save), POST /images/load (docker load), and
 * POST /images/{name}/push, all through the node's NodeServices as lcctl build/save/load/push use them.
 */
import type { ImageProgress } from '../../api/image-transfer.js';
import { decodeRegistryAuth, registryAuthHeader } from '../../api/registry-auth.js';
import { buildOptions } from '../http/build.js';
import { DockerError, queryBool } from './http-util.js';
import { shortName } from './images.js';
import type { DockerRequest, DockerRoute } from './route.js';

/** Start a JSON-lines answer; returns the line writer. */
function jsonLines(r: DockerRequest): (v: unknown) => void {
  r.res.writeHead(200, { 'content-type': 'application/json' });
  return (v) => { if (!r.res.destroyed) r.res.write(`${JSON.stringify(v)}\r\n`); };
}

async function build(r: DockerRequest): Promise<void> {
  const build = r.ctx.node.buildImage;
  if (!build) throw new DockerError(501, 'this node has no image builder');
  if (r.query.get('remote')) throw new DockerError(400, 'remote: building from a URL or git repository is not supported: send the context');
  // Docker's parameters as lanternd's build route names them, so both check them the same way.
  const q = new URLSearchParams();
  const tags = r.query.getAll('t');
  if (tags[0]) q.set('tag', tags[0]);
  for (const k of ['dockerfile', 'target', 'platform'] as const) { const v = r.query.get(k); if (v) q.set(k, v); }
  if (queryBool(r.query, 'nocache')) q.set('nocache', '1');
  const mode = r.query.get('networkmode');
  if (mode && mode !== 'default') q.set('network', mode);
  const rawArgs = r.query.get('buildargs');
  if (rawArgs) {
    let args: unknown;
    try { args = JSON.parse(rawArgs); } catch { throw new DockerError(400, 'buildargs: expected a JSON object of KEY: VALUE'); }
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new DockerError(400, 'buildargs: expected a JSON object of KEY: VALUE');
    for (const [k, v] of Object.entries(args)) if (v !== null) q.append('buildarg', `${k}=${String(v)}`);
  }
  const opts = buildOptions(q);
  const line = jsonLines(r);
  try {
    const image = await build.call(r.ctx.node, r.req, opts, (text) => line({ stream: text }));
    for (const extra of tags.slice(1)) await r.ctx.node.tagImage(image.id, extra);
    line({ aux: { ID: image.id } });
    line({ stream: `Successfully built ${image.id.replace(/^sha256:/, '').slice(0, 12)}\n` });
    for (const t of tags) line({ stream: `Successfully tagged ${t.includes(':') ? t : `${t}:latest`}\n` });
  } catch (e) {
    r.req.resume();
    const message = e instanceof Error ? e.message : String(e);
    line({ errorDetail: { message }, error: message });
  }
  r.res.end();
}

async function save(r: DockerRequest): Promise<void> {
  const exportImages = r.ctx.node.exportImages;
  if (!exportImages) throw new DockerError(501, 'this node cannot save images');
  const names = r.params[0] !== undefined ? [r.params[0]] : r.query.getAll('names');
  if (names.length === 0) throw new DockerError(400, 'names: name at least one image to save');
  const stream = await exportImages.call(r.ctx.node, names);
  r.res.writeHead(200, { 'content-type': 'application/x-tar' });
  await new Promise<void>((resolve) => {
    stream.on('error', () => { r.res.destroy(); resolve(); });
    stream.on('end', resolve);
    r.res.on('close', () => { stream.destroy(); resolve(); });
    stream.pipe(r.res);
  });
}

async function load(r: DockerRequest): Promise<void> {
  const images = await r.ctx.node.importImage(r.req);
  const line = jsonLines(r);
  for (const img of images) {
    const names = img.names.length > 0 ? img.names.map(shortName) : [img.id];
    for (const n of names) line({ stream: `Loaded image${img.names.length > 0 ? '' : ' ID'}: ${n}\n` });
  }
  r.res.end();
}

async function push(r: DockerRequest): Promise<void> {
  const tag = r.query.get('tag');
  const ref = tag ? `${r.params[0]!}:${tag}` : r.params[0]!;
  let auth;
  try { auth = decodeRegistryAuth(r.req.headers[registryAuthHeader] as string | undefined); } catch (e) { throw new DockerError(400, (e as Error).message); }
  const line = jsonLines(r);
  line({ status: `The push refers to repository [${ref.replace(/[:@][^/]*$/, '')}]` });
  const onProgress = (p: ImageProgress): void => {
    const id = p.layer ? p.layer.replace(/^sha256:/, '').slice(0, 12) : undefined;
    line({ status: p.status, ...(id ? { id } : {}), ...(p.total !== undefined ? { progressDetail: { current: p.current ?? 0, total: p.total } } : {}) });
  };
  const controller = new AbortController();
  r.signal.addEventListener('abort', () => controller.abort());
  try {
    const res = await r.ctx.node.pushImage(ref, { onProgress, signal: controller.signal, ...(auth ? { auth } : {}) });
    line({ status: `${res.tag}: digest: ${res.digest} size: ${res.size}` });
    line({ progressDetail: {}, aux: { Tag: res.tag, Digest: res.digest, Size: res.size } });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    line({ errorDetail: { message }, error: message });
  }
  r.res.end();
}

/** The build, save, load and push routes (before the image routes: /images/get must not read as a name). */
export const imageTransferRoutes: DockerRoute[] = [
  { method: 'POST', pattern: /^\/build$/, handler: build },
  { method: 'GET', pattern: /^\/images\/get$/, handler: save },
  { method: 'GET', pattern: /^\/images\/(.+)\/get$/, handler: save },
  { method: 'POST', pattern: /^\/images\/load$/, handler: load },
  { method: 'POST', pattern: /^\/images\/(.+)\/push$/, handler: push },
];
