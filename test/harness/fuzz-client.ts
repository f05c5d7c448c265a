/**
 * Sends the API fuzz test's requests and judges each answer. A fault is: a 5xx (but 503 for a node
 * that is not connected, an honest answer), no answer at all (reset, or none within the deadline),
 * a watch that answers 200 and then is cut or carries a 4xx error (it should have been a plain 4xx),
 * or a 2xx for a kind asked for under another group's path.
 */
import http from 'node:http';
import net from 'node:net';
import type { FuzzRequest } from './fuzz-requests.js';

/** What came of one request. */
export interface Outcome { status: number; fault?: string }

/** How long a streaming answer is read before the test hangs up (a cut or an error shows within it). */
const streamWindowMs = 150;
/** An answer slower than this is a hang. */
const deadlineMs = 20_000;

const connectedAnswer = /not connected|no node is connected|disconnected/;

function judge(req: FuzzRequest, status: number, text: string): string | undefined {
  // A HEAD answer has no body to say why it is 503: it gets the benefit of the doubt.
  if (status >= 500 && !(status === 503 && (connectedAnswer.test(text) || req.method === 'HEAD'))) return `answered ${status}: ${text.slice(0, 300)}`;
  if (req.wrongGroup && status >= 200 && status < 300) return `answered ${status} for a kind under another group's path`;
  return undefined;
}

/** Send REQ to 127.0.0.1:PORT with TOKEN (none when undefined). */
export function send(port: number, agent: http.Agent, req: FuzzRequest, token: string | undefined): Promise<Outcome> {
  if (req.raw !== undefined) return sendRaw(port, req.raw);
  return new Promise((resolve) => {
    let settled = false;
    let r: http.ClientRequest | undefined;
    const timer = setTimeout(() => { r?.destroy(); done({ status: 0, fault: `no answer within ${deadlineMs / 1000}s` }); }, deadlineMs);
    const done = (o: Outcome): void => { if (!settled) { settled = true; clearTimeout(timer); resolve(o); } };
    const headers: Record<string, string> = { ...req.headers };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    try {
      r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const streaming = status === 200 && (/[?&]watch=(1|true)/.test(req.path) || res.headers['content-length'] === undefined);
        let window: NodeJS.Timeout | undefined;
        const finish = (cut: boolean): void => {
          clearTimeout(window);
          const text = Buffer.concat(chunks).toString('utf8');
          let fault = judge(req, status, text);
          const error = /"type":"ERROR".*"status":(4\d\d)/.exec(text);
          if (fault === undefined && streaming && error !== null && error[1] !== '410') fault = `answered 200, then an error ${error[1]} in the stream: ${text.slice(0, 300)}`;
          if (fault === undefined && cut) fault = `answered ${status}, then the connection was cut: ${text.slice(0, 200)}`;
          done({ status, fault });
        };
        res.on('data', (d: Buffer) => { size += d.length; if (size < 1_000_000) chunks.push(d); });
        res.on('end', () => finish(false));
        res.on('aborted', () => finish(true));
        res.on('error', () => finish(true));
        // Hang up on a stream that is still open. Once its last byte is in (res.complete), the agent may
        // already have handed the socket to the next request: destroying it then would cut that one.
        if (streaming) window = setTimeout(() => { if (!res.complete) { finish(false); res.destroy(); } }, streamWindowMs);
      });
    } catch {
      // Node refused to send it (a character a path may not hold): not the server's doing.
      done({ status: -1 });
      return;
    }
    r.on('upgrade', (res, socket) => { socket.destroy(); done({ status: res.statusCode ?? 101 }); });
    r.on('error', (e: NodeJS.ErrnoException) => {
      // A keep-alive socket the server closed (after answering an earlier request on it with a close)
      // while the agent handed it this request: HTTP lets a server close an idle connection at any time,
      // and clients resend on a new one (Node's docs: `request.reusedSocket`). A reset on a fresh
      // connection is the server's fault.
      if (r?.reusedSocket && e.code === 'ECONNRESET' && !settled) {
        settled = true;
        clearTimeout(timer);
        void send(port, freshConnection, req, token).then(resolve);
        return;
      }
      done({ status: 0, fault: `no answer: ${e.code ?? ''} ${e.message}` });
    });
    r.end(req.body);
  });
}

/** An agent that never reuses a connection: each request gets its own. */
const freshConnection = new http.Agent({ keepAlive: false });

/** Write malformed HTTP and read what comes back until the server closes or a short while passes. */
function sendRaw(port: number, raw: Buffer): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const finish = (): void => {
      socket.destroy();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, fault: status >= 500 ? `raw request answered ${status}: ${text.slice(0, 200)}` : undefined });
    };
    socket.on('data', (d: Buffer) => { text += d.toString('latin1'); });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.setTimeout(1000, finish);
    socket.write(raw);
  });
}
