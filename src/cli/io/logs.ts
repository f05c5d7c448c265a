/** Read a pod's log (GET .../pods/NAME/log) into a local stream. */
import type { HttpClient } from '../../client/http-client.js';
import { parseAnswer, readAll } from '../../client/http-client.js';
import { resourcePath } from '../../client/paths.js';

/** Query options of a log read, as the API takes them. */
export interface LogQuery {
  container?: string;
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  previous?: boolean;
  stream?: 'All' | 'Stdout' | 'Stderr';
}

/** The URL of a log read. */
export function logPath(ns: string, pod: string, q: LogQuery): string {
  const params = new URLSearchParams();
  if (q.container) params.set('container', q.container);
  if (q.follow) params.set('follow', 'true');
  if (q.tailLines !== undefined) params.set('tailLines', String(q.tailLines));
  if (q.timestamps) params.set('timestamps', 'true');
  if (q.sinceSeconds !== undefined) params.set('sinceSeconds', String(q.sinceSeconds));
  if (q.previous) params.set('previous', 'true');
  if (q.stream) params.set('stream', q.stream);
  const qs = params.toString();
  return resourcePath('pods', ns, pod, 'log') + (qs ? `?${qs}` : '');
}

/** A running log copy; `done` settles when the server ends the stream (or it failed). */
export interface LogCopy { done: Promise<void>; cancel(): void }

/** Copy a log into `out` (which stays open); API errors reject `done`. */
export function copyLog(client: HttpClient, ns: string, pod: string, q: LogQuery, out: NodeJS.WritableStream): LogCopy {
  let cancelled = false;
  let body: NodeJS.ReadableStream & { destroy(): void } | undefined;
  const done = (async () => {
    const res = await client.raw('GET', logPath(ns, pod, q));
    body = res.body;
    if (cancelled) { res.body.destroy(); return; }
    if (res.status !== 200) { parseAnswer(res.status, await readAll(res.body)); return; }
    await new Promise<void>((resolve, reject) => {
      res.body.on('end', resolve);
      res.body.on('close', resolve);
      res.body.on('error', (e) => (cancelled ? resolve() : reject(e)));
      res.body.pipe(out, { end: false });
    });
  })();
  return { done, cancel: () => { cancelled = true; body?.destroy(); } };
}
