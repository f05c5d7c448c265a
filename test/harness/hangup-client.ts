/**
 * A raw HTTP/1.1 client that hangs up on purpose: part-way through its own request head, before
 * the answer, right at the answer (101 or 200), after some bytes of the answer's stream, or part-way
 * through an upload; with an RST (resetAndDestroy), a plain close, or a FIN first (half-close).
 * Over TLS when given the server's CA (as kubectl and lcctl speak to lanternd): the RST is then sent
 * on the TCP connection under TLS, as a client that loses its network does.
 */
import net from 'node:net';
import tls from 'node:tls';

/** Where the client hangs up. */
export type Point = 'mid-head' | 'before-answer' | 'at-answer' | 'mid-stream' | 'mid-upload' | 'complete';
/** How: RST, close() (FIN, or RST by the kernel when unread bytes wait), or FIN then close. */
export type How = 'rst' | 'close' | 'half';

/** One request to make. */
export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** The Upgrade protocol (lantern-stream, lantern-tunnel); absent for a plain request. */
  upgrade?: string;
  body?: Buffer;
  /** Called once the answer's head has come (not for at-answer): send stdin, port-forward bytes... */
  onAnswer?: (sock: net.Socket, status: number) => void;
  /** Called with each chunk after the head. */
  onBody?: (sock: net.Socket, chunk: Buffer) => void;
}

/** Where and how to hang up; bytes: head bytes (mid-head), body bytes (mid-upload) or answer bytes to wait for (mid-stream). */
export interface Hangup { point: Point; bytes: number; how: How }

/** What happened: the status when an answer came, and how the conversation ended. */
export interface Outcome { status?: number; received: number; ended: 'hung-up' | 'server-closed' | 'timeout' | 'connect-failed'; localPort?: number }

function writeAll(sock: net.Socket, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (data.length === 0 || sock.destroyed) { resolve(); return; }
    sock.write(data, () => resolve());
  });
}

function hangUp(sock: net.Socket, raw: net.Socket, how: How): Promise<void> {
  if (sock.destroyed) return Promise.resolve();
  if (how === 'rst') { raw.resetAndDestroy(); sock.destroy(); return Promise.resolve(); }
  if (how === 'close') { sock.destroy(); return Promise.resolve(); }
  // FIN first; then give the server a moment to close its side before we let go.
  return new Promise((resolve) => {
    const done = (): void => { clearTimeout(timer); sock.destroy(); resolve(); };
    const timer = setTimeout(done, 300);
    sock.once('close', done);
    sock.resume();
    sock.end();
  });
}

/** Send req to 127.0.0.1:port (over TLS when ca is given) and hang up as h says; never rejects. */
export async function converse(port: number, token: string, req: RawRequest, h: Hangup, ca?: string, timeoutMs = 30_000): Promise<Outcome> {
  const raw = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  raw.on('error', () => undefined);
  const sock = ca === undefined ? raw : tls.connect({ socket: raw, ca, host: '127.0.0.1' });
  sock.on('error', () => undefined);
  const connected = await new Promise<boolean>((resolve) => {
    sock.once(ca === undefined ? 'connect' : 'secureConnect', () => resolve(true));
    sock.once('close', () => resolve(false));
  });
  if (!connected) return { received: 0, ended: 'connect-failed' };
  const localPort = raw.localPort;
  const headers: Record<string, string> = { host: 'lantern', authorization: `Bearer ${token}`, ...req.headers };
  // A plain request asks the server to close after its answer, so 'complete' sees the end.
  if (req.upgrade) { headers.connection = 'Upgrade'; headers.upgrade = req.upgrade; } else headers.connection = 'close';
  if (req.body !== undefined || req.method !== 'GET') headers['content-length'] = String(req.body?.length ?? 0);
  const head = Buffer.from(`${req.method} ${req.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
  const clamp = (n: number, max: number): number => Math.max(0, Math.min(n, max));

  let buf = Buffer.alloc(0);
  let status: number | undefined;
  let received = 0;
  let finish: (ended: Outcome['ended']) => void = () => undefined;
  const result = new Promise<Outcome>((resolve) => {
    let settled = false;
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    finish = (ended) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const gone = ended === 'server-closed' ? Promise.resolve(sock.destroy()) : hangUp(sock, raw, h.how);
      void gone.then(() => resolve({ status, received, ended, localPort }));
    };
  });
  sock.on('close', () => finish('server-closed'));
  sock.on('end', () => finish('server-closed'));
  sock.on('data', (chunk: Buffer) => {
    if (status === undefined) {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      if (h.point === 'at-answer') { finish('hung-up'); return; }
      chunk = buf.subarray(end + 4);
      req.onAnswer?.(sock, status);
    }
    received += chunk.length;
    if (chunk.length > 0) req.onBody?.(sock, chunk);
    if (h.point === 'mid-stream' && received >= h.bytes) finish('hung-up');
  });

  if (h.point === 'mid-head') {
    await writeAll(sock, head.subarray(0, clamp(h.bytes, head.length - 1) || 1));
    finish('hung-up');
    return result;
  }
  await writeAll(sock, head);
  if (req.body !== undefined) {
    if (h.point === 'mid-upload') {
      await writeAll(sock, req.body.subarray(0, clamp(h.bytes, req.body.length - 1)));
      finish('hung-up');
      return result;
    }
    // The server may answer (an error) without reading the whole body: do not wait for it to.
    void writeAll(sock, req.body);
  }
  if (h.point === 'before-answer') finish('hung-up');
  return result;
}
