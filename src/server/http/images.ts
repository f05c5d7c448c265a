import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeRegistry } from '../node-registry.js';
import type { ImageSummary } from '../../api/node-services.js';
import { ApiError } from '../../api/errors.js';
import { sendJson } from './respond.js';
import { serveImageTransfer } from './image-transfer.js';
import { serveBuild } from './build.js';
import { imageTargets as targets, serveImageSave } from './image-save.js';

/** /apis/lantern.dev/v1/images[/REF]: list, import (POST an archive) and remove node images. */
export async function serveImages(nodes: NodeRegistry, req: IncomingMessage, res: ServerResponse, ref: string | undefined, query: URLSearchParams): Promise<void> {
  const method = req.method ?? 'GET';
  if ((ref === 'pull' || ref === 'push' || ref === 'tag') && method === 'POST') { await serveImageTransfer(nodes, req, res, ref, query); return; }
  if (ref === 'build' && method === 'POST') { await serveBuild(nodes, req, res, query); return; }
  if ((ref === 'save' || ref === 'inspect') && method === 'GET') { await serveImageSave(nodes, req, res, ref, query); return; }
  if (ref === 'prune' && method === 'POST') { await serveImageSave(nodes, req, res, ref, query); return; }
  if (ref === undefined && method === 'GET') {
    const lists = await Promise.all(targets(nodes, query).map((n) => nodes.get(n).listImages()));
    sendJson(res, 200, { kind: 'ImageList', items: lists.flat() });
    return;
  }
  if (ref === undefined && method === 'POST') {
    const names = targets(nodes, query);
    if (names.length !== 1) throw new ApiError('BadRequest', `import to one node at a time: add ?node= (connected: ${names.join(', ')})`);
    const items = await nodes.get(names[0]!).importImage(req, query.get('ref') ?? undefined);
    sendJson(res, 201, { kind: 'ImageList', items });
    return;
  }
  if (ref !== undefined && method === 'DELETE') {
    const removed: ImageSummary[] = [];
    let lastError: unknown;
    for (const n of targets(nodes, query)) {
      try { removed.push(await nodes.get(n).removeImage(ref)); } catch (e) { lastError = e; }
    }
    if (removed.length === 0) throw lastError ?? new ApiError('NotFound', `image "${ref}" not found`);
    sendJson(res, 200, { kind: 'ImageList', items: removed });
    return;
  }
  throw new ApiError('MethodNotAllowed', `${method} is not allowed here`);
}
