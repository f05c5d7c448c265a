import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { ImageProgress } from '../../api/image-transfer.js';
import { decodeRegistryAuth, registryAuthHeader } from '../../api/registry-auth.js';
import type { NodeRegistry } from '../node-registry.js';

/** The one node a pull, push or tag goes to: ?node=NAME, or the only connected node. */
function oneNode(nodes: NodeRegistry, query: URLSearchParams, verb: string): string {
  const node = query.get('node');
  if (node) { nodes.get(node); return node; }
  const all = nodes.names();
  if (all.length === 0) throw new ApiError('Unavailable', 'no node is connected to hold images (start lanternd server without --no-agent, or join an agent)');
  if (all.length > 1) throw new ApiError('BadRequest', `${verb} on one node at a time: add ?node= (lcctl --node; connected: ${all.join(', ')})`);
  return all[0]!;
}

function required(query: URLSearchParams, name: string): string {
  const v = query.get(name);
  if (!v) throw new ApiError('BadRequest', `?${name}= is required`);
  return v;
}

/**
 * POST /apis/lantern.dev/v1/images/{pull,push,tag}. Pull and push answer 200 at once and stream
 * newline-delimited JSON: progress lines, then {"status":"done",...} or {"error":{code,message}}.
 * Registry credentials come in X-Registry-Auth and go to the node for this call only.
 */
export async function serveImageTransfer(nodes: NodeRegistry, req: IncomingMessage, res: ServerResponse, action: 'pull' | 'push' | 'tag', query: URLSearchParams): Promise<void> {
  const node = nodes.get(oneNode(nodes, query, action));
  if (action === 'tag') {
    const image = await node.tagImage(required(query, 'source'), required(query, 'target'));
    const text = JSON.stringify({ status: 'done', image });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  const ref = required(query, 'ref');
  let auth;
  try { auth = decodeRegistryAuth(req.headers[registryAuthHeader] as string | undefined); } catch (e) { throw new ApiError('BadRequest', (e as Error).message); }
  const platform = query.get('platform') || undefined;
  const abort = new AbortController();
  res.on('close', () => { if (!res.writableFinished) abort.abort(); });
  req.resume();
  res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache' });
  const line = (v: unknown): void => { if (!res.writableEnded) res.write(`${JSON.stringify(v)}\n`); };
  const onProgress = (p: ImageProgress): void => line(p);
  try {
    if (action === 'pull') line({ status: 'done', image: await node.pullImage(ref, { platform, auth, onProgress, signal: abort.signal }) });
    else line({ status: 'done', push: await node.pushImage(ref, { auth, onProgress, signal: abort.signal }) });
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError('Internal', (e as Error).message);
    line({ error: { code: err.code, message: err.message } });
  }
  res.end();
}
