/**
 * Forwarding to the node's upstream resolvers: the query's bytes as they came, over UDP to each
 * upstream in turn (a timeout or a SERVFAIL moves to the next), again over TCP when the answer was
 * truncated. One socket per query: forwarding only happens on a cache miss.
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { decode } from 'dns-packet';

/** An upstream resolver: address and port (53 unless a test says otherwise). */
export interface Upstream { host: string; port: number }

/** Parse "1.2.3.4", "1.2.3.4:5353" or "[::1]:53". */
export function parseUpstream(s: string): Upstream {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:]+)(?::(\d+))?$/.exec(s);
  if (m) return { host: m[1]!, port: m[2] ? Number(m[2]) : 53 };
  return { host: s, port: 53 }; // a bare IPv6 address
}

/** Sends query to the upstreams in order; the first usable answer wins. Throws when none answered. */
export async function forward(query: Buffer, upstreams: readonly Upstream[], timeoutMs = 2000): Promise<Buffer> {
  let lastError: Error = new Error('no upstream resolvers are configured (the node\'s resolv.conf names none)');
  for (const u of upstreams) {
    try {
      let answer = await overUdp(query, u, timeoutMs);
      if (decode(answer).flag_tc) answer = await overTcp(query, u, timeoutMs);
      if ((answer.readUInt16BE(2) & 0xf) === 2 && u !== upstreams[upstreams.length - 1]) continue; // SERVFAIL: try the next
      return answer;
    } catch (e) {
      lastError = e as Error;
    }
  }
  throw lastError;
}

function overUdp(query: Buffer, u: Upstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(u.host.includes(':') ? 'udp6' : 'udp4');
    const id = query.readUInt16BE(0);
    const done = (err: Error | undefined, msg?: Buffer): void => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err); else resolve(msg!);
    };
    const timer = setTimeout(() => done(new Error(`upstream ${u.host}:${u.port} did not answer within ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => done(e));
    // Only the answer to this query's id: a late answer to someone else's is ignored.
    sock.on('message', (msg) => { if (msg.length >= 12 && msg.readUInt16BE(0) === id) done(undefined, msg); });
    sock.send(query, u.port, u.host);
  });
}

/** DNS over TCP: two length bytes before each message (RFC 1035 4.2.2). */
export function overTcp(query: Buffer, u: Upstream, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: u.host, port: u.port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`upstream ${u.host}:${u.port} (tcp) did not answer within ${timeoutMs} ms`)); }, timeoutMs);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(query.length);
    sock.on('connect', () => sock.end(Buffer.concat([len, query])));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); reject(new Error(`upstream ${u.host}:${u.port} (tcp) closed without an answer`)); });
  });
}
