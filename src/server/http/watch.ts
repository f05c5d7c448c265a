import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiClient } from '../../client/types.js';
import { ApiError } from '../../api/errors.js';

/** Stream a watch as one JSON event per line until the client goes away. */
export function serveWatch(api: ApiClient, req: IncomingMessage, res: ServerResponse, resource: string, namespace: string | undefined, query: URLSearchParams): void {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const watcher = api.watch(resource, namespace, {
    resourceVersion: query.get('resourceVersion') ?? undefined,
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  }, (event) => { res.write(JSON.stringify(event) + '\n'); });
  const close = (): void => watcher.stop();
  req.on('close', close);
  res.on('close', close);
  watcher.done.catch((e: unknown) => {
    const err = e instanceof ApiError ? e : new ApiError('Internal', String(e));
    res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', ...err.toBody() } }) + '\n');
  });
}
