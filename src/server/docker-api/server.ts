/**
 * The Docker Engine API on a unix socket: routes Docker's paths (with or without the /vX.Y prefix)
 * to the handlers, answers errors as `{"message"}`, and hijacks attach and exec start when the client
 * asks for `Upgrade: tcp`. The socket is made mode 0660, owner root: a local admin door, as
 * /var/run/docker.sock is.
 */
import http from 'node:http';
import net from 'node:net';
import { chmodSync, chownSync, lstatSync, mkdirSync, rmSync, type Stats } from 'node:fs';
import path from 'node:path';
import { PassThrough, type Duplex } from 'node:stream';
import type { DockerApiContext } from './context.js';
import { DockerError, errorAnswer, parseJsonBody, readJson, sendError } from './http-util.js';
import { systemRoutes, engineHeaders } from './system.js';
import { containerRoutes } from './containers.js';
import { streamRoutes } from './streams.js';
import { execRoutes } from './exec.js';
import { imageRoutes } from './images.js';
import { networkVolumeRoutes } from './networks-volumes.js';
import { metricsRoutes } from './container-metrics.js';
import { imageTransferRoutes } from './image-transfer.js';
import { pruneRoutes } from './prune.js';
import type { DockerRequest, DockerRoute, StreamOut } from './route.js';

// Prune first: /containers/prune must not read as a container named "prune".
const routes: DockerRoute[] = [...pruneRoutes, ...systemRoutes, ...containerRoutes, ...streamRoutes, ...execRoutes, ...imageTransferRoutes, ...imageRoutes, ...networkVolumeRoutes, ...metricsRoutes];

/** Strip /v1.47 and match; undefined when no route has the path (405 when only the method differs). */
function match(method: string, rawPath: string): { route: DockerRoute; params: string[] } | 'method' | undefined {
  const p = rawPath.replace(/^\/v\d+\.\d+(?=\/)/, '');
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(p);
    if (!m) continue;
    pathMatched = true;
    if (route.method === method) return { route, params: m.slice(1).map((s) => decodeURIComponent(s)) };
  }
  return pathMatched ? 'method' : undefined;
}

/** Read an upgrade request's body: its Content-Length bytes from head (and the socket); the rest is stream input. */
async function upgradeBody(req: http.IncomingMessage, socket: Duplex, head: Buffer): Promise<{ body: Buffer; rest: Buffer }> {
  const len = Number(req.headers['content-length'] ?? '0');
  if (!Number.isInteger(len) || len < 0 || len > 1 << 20) throw new DockerError(400, 'Content-Length: expected a body of at most 1 MiB');
  let buf = head;
  while (buf.length < len) {
    const chunk = await new Promise<Buffer>((resolve, reject) => {
      socket.once('data', resolve);
      socket.once('error', reject);
      socket.once('end', () => reject(new DockerError(400, 'the connection closed before the request body arrived')));
    });
    buf = Buffer.concat([buf, chunk]);
  }
  return { body: buf.subarray(0, len), rest: buf.subarray(len) };
}

/** Serve one request; `upgrade` when the client asked to hijack the connection. */
async function serve(ctx: DockerApiContext, req: http.IncomingMessage, res: http.ServerResponse, upgrade?: { socket: Duplex; head: Buffer }): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://docker');
  const method = req.method ?? 'GET';
  const found = match(method, url.pathname);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  (upgrade?.socket ?? res).on('close', abort);
  try {
    if (found === undefined) throw new DockerError(404, `page not found: Lantern's Docker API does not serve ${method} ${url.pathname} (see src/server/docker-api/README.md)`);
    if (found === 'method') throw new DockerError(405, `${method} is not allowed on ${url.pathname}`);
    let bodyRead: Promise<{ body: Buffer; rest: Buffer }> | undefined;
    const readBody = (): Promise<{ body: Buffer; rest: Buffer }> => (bodyRead ??= upgrade ? upgradeBody(req, upgrade.socket, upgrade.head) : readJson(req).then((v) => ({ body: Buffer.from(v === undefined ? '' : JSON.stringify(v)), rest: Buffer.alloc(0) })));
    const r: DockerRequest = {
      ctx, req, res, params: found.params, query: url.searchParams, signal: controller.signal,
      body: async () => parseJsonBody((await readBody()).body),
      stream: (contentType) => openStream(res, contentType, upgrade, readBody),
    };
    await found.route.handler(r);
  } catch (e) {
    if (controller.signal.aborted) { res.destroy(); upgrade?.socket.destroy(); return; }
    const { status } = errorAnswer(e);
    if (status >= 500 && !(e instanceof DockerError)) console.error(`lanternd: docker api: ${method} ${url.pathname}: ${e instanceof Error ? e.message : String(e)}`);
    // A refused hijack is an ordinary answer, after which the connection closes (it was to be the stream's).
    if (upgrade && !res.headersSent) res.setHeader('connection', 'close');
    sendError(res, e);
    if (upgrade) res.once('finish', () => upgrade.socket.end());
  } finally {
    (upgrade?.socket ?? res).off('close', abort);
  }
}

/** Start streaming: 101 on a hijacked connection (the socket is ours then), else a 200 body. */
function openStream(res: http.ServerResponse, contentType: string, upgrade: { socket: Duplex; head: Buffer } | undefined,
  readBody: () => Promise<{ body: Buffer; rest: Buffer }>): StreamOut {
  if (!upgrade) {
    res.writeHead(200, { 'content-type': contentType });
    res.flushHeaders();
    return { write: (b) => { res.write(b); }, end: () => { res.end(); }, input: undefined };
  }
  const { socket } = upgrade;
  res.detachSocket(socket as net.Socket);
  socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
  const input = new PassThrough();
  void readBody().then(({ rest }) => {
    if (rest.length > 0) input.write(rest);
    socket.on('data', (d: Buffer) => input.write(d));
    socket.on('end', () => input.end());
  }, () => input.end());
  let ended = false;
  return {
    write: (b) => { if (!ended && !socket.destroyed) socket.write(b); },
    end: () => { if (ended) return; ended = true; socket.end(); },
    input,
  };
}

function lstatOrUndefined(p: string): Stats | undefined {
  try { return lstatSync(p); } catch { return undefined; }
}

/** A running Docker API listener. */
export interface DockerApiServer { server: http.Server; socketPath: string; close(): Promise<void> }

/** Is something answering on this socket path already? */
function inUse(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(socketPath);
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

/** Listen on socketPath (mode 0660, owner root:root) and serve the Docker Engine API. */
export async function startDockerApi(ctx: DockerApiContext, socketPath: string): Promise<DockerApiServer> {
  if (await inUse(socketPath)) throw new Error(`--docker-socket ${socketPath}: another daemon is listening there: stop it or choose another path`);
  mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o755 });
  // Only a stale socket is replaced: a typo must never delete a file (--docker-socket /etc/passwd).
  const existing = lstatOrUndefined(socketPath);
  if (existing && !existing.isSocket()) throw new Error(`--docker-socket ${socketPath}: a file that is not a socket is there: remove it or choose another path`);
  rmSync(socketPath, { force: true });
  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(engineHeaders(ctx.version))) res.setHeader(k, v);
    void serve(ctx, req, res).catch((e: unknown) => sendError(res, e));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const res = new http.ServerResponse(req);
    res.assignSocket(socket as net.Socket);
    for (const [k, v] of Object.entries(engineHeaders(ctx.version))) res.setHeader(k, v);
    void serve(ctx, req, res, { socket, head }).catch(() => socket.destroy());
  });
  server.on('clientError', (_e, socket) => { socket.destroy(); });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(socketPath, () => { server.off('error', reject); resolve(); }); });
  chownSync(socketPath, 0, 0);
  chmodSync(socketPath, 0o660);
  return {
    server, socketPath,
    close: async () => {
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
      if (lstatOrUndefined(socketPath)?.isSocket()) rmSync(socketPath, { force: true });
    },
  };
}

