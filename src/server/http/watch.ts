import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiObject, WatchEvent } from '../../api/meta.js';
import type { ApiClient } from '../../client/types.js';
import { ApiError } from '../../api/errors.js';

/**
 * One change's JSON line, made once for every HTTP watcher it goes to: read-only watches share the
 * decoded object, so it is the key (per event type, as a change reaches some watchers as ADDED).
 */
const lines = new WeakMap<ApiObject, Partial<Record<WatchEvent<ApiObject>['type'], string>>>();

function lineOf(event: WatchEvent<ApiObject>): string {
  let byType = lines.get(event.object);
  if (byType === undefined) { byType = {}; lines.set(event.object, byType); }
  return (byType[event.type] ??= JSON.stringify(event) + '\n');
}

/** Bytes a watcher may leave unread in the server before its watch is closed (kube-apiserver drops slow watchers too). */
export const slowWatcherLimit = 32 * 1024 * 1024;

/**
 * Stream a watch as one JSON event per line until the client goes away. Lines made in one turn of
 * the event loop (a committed batch) go out in one write, not one socket write each. A client that
 * stops reading is cut off once `limit` bytes wait for it: the response ends (cleanly, so a client
 * resumes from the last resourceVersion it saw, as client-go's reflector does), and the server does
 * not buffer the rest of history for it. `encode` turns an event into its line (kubectl's table watch
 * sends one-row Tables).
 */
export function serveWatch(api: ApiClient, req: IncomingMessage, res: ServerResponse, resource: string, namespace: string | undefined, query: URLSearchParams, limit = slowWatcherLimit,
  encode: (event: WatchEvent<ApiObject>) => string = lineOf): void {
  // A bad resourceVersion or selector is a plain 400, not a 200 whose stream is cut: check the
  // version here and start the watch (it parses the selectors, and throws) before the head goes out.
  const resourceVersion = query.get('resourceVersion') ?? undefined;
  if (resourceVersion !== undefined && resourceVersion !== '' && !/^[0-9]{1,15}$/.test(resourceVersion)) {
    throw new ApiError('BadRequest', `invalid resourceVersion ${JSON.stringify(resourceVersion.slice(0, 64))}: expected a non-negative integer (the metadata.resourceVersion of a list or an object), or leave it out`);
  }
  let pending: string[] = [];
  const flush = (): void => {
    const out = pending;
    pending = [];
    if (out.length === 0 || res.writableEnded) return;
    res.write(out.join(''));
    if (res.writableLength > limit) { watcher.stop(); res.end(); }
  };
  const watcher = api.watch(resource, namespace, {
    resourceVersion,
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    readOnly: true,
  }, (event) => {
    if (pending.push(encode(event)) === 1) setImmediate(flush);
  });
  // Events wait for flush (setImmediate), so none is written before this head.
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const close = (): void => watcher.stop();
  req.on('close', close);
  res.on('close', close);
  watcher.done.catch((e: unknown) => {
    flush();
    if (res.writableEnded) return;
    const err = e instanceof ApiError ? e : new ApiError('Internal', String(e));
    res.end(JSON.stringify({ type: 'ERROR', object: err.toBody() }) + '\n');
  });
}
