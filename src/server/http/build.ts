/**
 * POST /apis/lantern.dev/v1/images/build?tag=&dockerfile=&target=&buildarg=K=V&nocache=1&network=: the body is
 * the build context tar; the answer streams Docker's JSON lines ({"stream"}, then {"aux":{"ID"}} or
 * {"error"}) so progress shows while RUN steps run.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { buildNetworkMode, buildNetworkProblem } from '../../api/build-network.js';
import { imageTagProblem, invalidTagMessage } from '../../api/image-tag.js';
import type { ImageBuildOptions } from '../../api/node-services.js';
import type { NodeRegistry } from '../node-registry.js';

/** The build options a query string carries. */
export function buildOptions(query: URLSearchParams): ImageBuildOptions {
  const buildArgs: Record<string, string> = {};
  for (const a of query.getAll('buildarg')) {
    const i = a.indexOf('=');
    if (i <= 0) throw new ApiError('BadRequest', `build arg "${a}" is not KEY=VALUE`);
    buildArgs[a.slice(0, i)] = a.slice(i + 1);
  }
  const opt = (k: string): string | undefined => query.get(k) || undefined;
  // A bad name must fail before the context is read and any step runs, not when the image is stored.
  for (const t of query.getAll('tag')) {
    const problem = imageTagProblem(t);
    if (problem) throw new ApiError('BadRequest', invalidTagMessage(t, problem));
  }
  const net = opt('network');
  const network = net === undefined ? undefined : buildNetworkMode(net);
  if (net !== undefined && network === undefined) throw new ApiError('BadRequest', buildNetworkProblem(net));
  return { tag: opt('tag'), dockerfile: opt('dockerfile'), target: opt('target'), buildArgs, noCache: ['1', 'true'].includes(query.get('nocache') ?? ''), platform: opt('platform'), network };
}

/** Runs the build on the one node addressed (?node=, or the only one connected). */
export async function serveBuild(nodes: NodeRegistry, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const opts = buildOptions(query);
  const names = query.get('node') ? [query.get('node') as string] : nodes.names();
  if (names.length === 0) throw new ApiError('Unavailable', 'no node is connected to build on (start lanternd server without --no-agent, or join an agent)');
  if (names.length !== 1) throw new ApiError('BadRequest', `build on one node at a time: add ?node= (connected: ${names.join(', ')})`);
  const node = nodes.get(names[0] as string);
  if (!node.buildImage) throw new ApiError('BadRequest', `node "${names[0]}" cannot build images (it has no image builder): build on another node (--node NAME)`);
  res.writeHead(200, { 'content-type': 'application/json' });
  const line = (v: unknown): void => { if (!res.destroyed) res.write(`${JSON.stringify(v)}\n`); };
  try {
    const image = await node.buildImage(req, opts, (text) => line({ stream: text }));
    line({ aux: { ID: image.id } });
  } catch (e) {
    // The stream may have stopped mid-way: drain it so the client sees the answer, not a reset.
    req.resume();
    line({ error: e instanceof Error ? e.message : String(e) });
  }
  res.end();
}
