import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../../api/errors.js';
import type { ImageInspect, ImagePruneReport } from '../../api/image-inspect.js';
import type { NodeServices } from '../../api/node-services.js';
import type { NodeRegistry } from '../node-registry.js';
import { sendJson } from './respond.js';

/** Which nodes an image call addresses: ?node=NAME, or every connected node. */
export function imageTargets(nodes: NodeRegistry, query: URLSearchParams): string[] {
  const node = query.get('node');
  if (node) { nodes.get(node); return [node]; }
  const all = nodes.names();
  if (all.length === 0) throw new ApiError('Unavailable', 'no node is connected to hold images (start lanternd server without --no-agent, or join an agent)');
  return all;
}

function unsupported(node: string, what: string): ApiError {
  return new ApiError('BadRequest', `node "${node}" cannot ${what} (an agent reached through its tunnel, or an older one); use a node of the server itself, with --node`);
}

/**
 * GET .../images/save?ref=A&ref=B[&node=N]: the archive (application/x-tar), streamed from the node.
 * GET .../images/inspect?ref=R[&node=N]: Docker's inspect JSON from the first node that holds R.
 * POST .../images/prune?all=1[&node=N]: prune every addressed node; one merged report.
 */
export async function serveImageSave(nodes: NodeRegistry, req: IncomingMessage, res: ServerResponse, action: 'save' | 'inspect' | 'prune', query: URLSearchParams): Promise<void> {
  const names = imageTargets(nodes, query);
  if (action === 'save') {
    const refs = query.getAll('ref');
    if (refs.length === 0) throw new ApiError('BadRequest', '?ref= is required (one per image)');
    if (names.length !== 1) throw new ApiError('BadRequest', `save from one node at a time: add ?node= (lcctl --node; connected: ${names.join(', ')})`);
    const node: NodeServices = nodes.get(names[0]!);
    if (!node.exportImages) throw unsupported(names[0]!, 'save images');
    const stream = await node.exportImages(refs);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/x-tar' });
    // A failure mid-stream can only cut the connection: the client sees a truncated body, not a 200 that ends well.
    await pipeline(stream, res).catch(() => { res.destroy(); });
    return;
  }
  if (action === 'inspect') {
    const ref = query.get('ref');
    if (!ref) throw new ApiError('BadRequest', '?ref= is required');
    let lastError: unknown;
    for (const n of names) {
      const node = nodes.get(n);
      if (!node.inspectImage) { lastError = unsupported(n, 'inspect images'); continue; }
      try {
        const found: ImageInspect = await node.inspectImage(ref);
        sendJson(res, 200, found);
        return;
      } catch (e) { lastError = e; }
    }
    throw lastError ?? new ApiError('NotFound', `No such image: ${ref}`);
  }
  const all = query.get('all') === '1' || query.get('all') === 'true';
  const report: ImagePruneReport = { ImagesDeleted: [], SpaceReclaimed: 0 };
  for (const n of names) {
    const node = nodes.get(n);
    if (!node.pruneImages) throw unsupported(n, 'prune images');
    const r = await node.pruneImages({ all });
    report.ImagesDeleted.push(...r.ImagesDeleted);
    report.SpaceReclaimed += r.SpaceReclaimed;
  }
  sendJson(res, 200, report);
}
