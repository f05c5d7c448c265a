/**
 * The node's DNS server: UDP and TCP on each address it is asked to listen on, answering the cluster
 * zone from ClusterRecords (resolver.ts) and forwarding every other name to the upstreams through the
 * answer cache. Wire format is dns-packet's; nothing here throws out of a socket handler.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import { AnswerCache } from './cache.js';
import type { ClusterRecords } from './records.js';
import { resolve } from './resolver.js';
import { resolveUserName, type UserNetworkRecords } from './user-names.js';
import { forward, type Upstream } from './upstream.js';

const QR = 0x8000;
const AA = dnsPacket.AUTHORITATIVE_ANSWER;
const TC = dnsPacket.TRUNCATED_RESPONSE;
const RD = dnsPacket.RECURSION_DESIRED;
const RA = dnsPacket.RECURSION_AVAILABLE;
const Rcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
/** The UDP size we advertise and accept in EDNS (the 2020 DNS flag day's value). */
const ednsSize = 1232;

/** What the server answers from. */
export interface DnsServerOptions {
  records: ClusterRecords;
  /** The cluster domain, lower case, without a trailing dot (cluster.local). */
  domain: string;
  /** The upstream resolvers, read at each forward (the node's resolv.conf may change). */
  upstreams: () => readonly Upstream[];
  cache?: AnswerCache;
  log?: (msg: string) => void;
  /** How long one upstream gets before the next is tried (default 2000 ms). */
  upstreamTimeoutMs?: number;
  /** Container names and aliases of user networks, answered by the asker's address (Docker's embedded DNS). */
  userNames?: UserNetworkRecords;
}

interface Listener { udp: Socket; tcp: Server; port: number }

/** One DNS server for the node, listening on any number of addresses. */
export class DnsServer {
  readonly cache: AnswerCache;
  private readonly listeners = new Map<string, Promise<Listener>>();
  private readonly connections = new Set<TcpSocket>();
  private readonly log: (msg: string) => void;

  constructor(private readonly o: DnsServerOptions) {
    this.cache = o.cache ?? new AnswerCache();
    this.log = o.log ?? ((m) => console.error(`dns: ${m}`));
  }

  /** Listen on host:port over UDP and TCP (again: the same listener); port 0 picks one. Returns the port. */
  async listen(host: string, port = 53): Promise<number> {
    const id = `${host}:${port}`;
    let l = this.listeners.get(id);
    if (!l) {
      l = this.open(host, port);
      this.listeners.set(id, l);
      l.catch(() => this.listeners.delete(id));
    }
    return (await l).port;
  }

  /** True when listening on host (any port). */
  listensOn(host: string): boolean {
    return [...this.listeners.keys()].some((k) => k.slice(0, k.lastIndexOf(':')) === host);
  }

  /** Stop every listener and TCP connection. */
  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    const all = [...this.listeners.values()];
    this.listeners.clear();
    await Promise.all(all.map(async (p) => {
      const l = await p.catch(() => undefined);
      if (!l) return;
      l.udp.close();
      await new Promise<void>((r) => l.tcp.close(() => r()));
    }));
  }

  /**
   * The answer to one query message (undefined: not worth answering); udp: the answer must fit a
   * datagram; source: the asker's address (a pod on a user network resolves its peers by name).
   */
  async answer(msg: Buffer, udp = false, source?: string): Promise<Buffer | undefined> {
    let query: DecodedPacket;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return msg.length >= 12 ? header(msg.readUInt16BE(0), Rcode.FORMERR) : undefined;
    }
    if (query.flag_qr) return undefined;
    const q = query.questions?.[0];
    if (!q || query.questions!.length !== 1) return header(query.id ?? 0, Rcode.FORMERR);
    const opt = (query.additionals ?? []).find((a) => a.type === 'OPT');
    // UDP: 512 bytes, or what the client's EDNS says up to ours; TCP: no limit but the message's.
    const limit = !udp ? 65535 : opt && opt.type === 'OPT' ? Math.min(ednsSize, Math.max(512, opt.udpPayloadSize)) : 512;
    const res = (this.o.userNames ? resolveUserName(q, source, this.o.userNames) : undefined) ?? resolve(q, this.o.records, this.o.domain);
    if (res.kind === 'forward') return this.outside(msg, query, q, limit, opt !== undefined);
    const answers = [...res.answers];
    if (res.chase) answers.push(...await this.chase(res.chase, q.type));
    return encodeLimited({
      type: 'response', id: query.id, flags: QR | AA | RA | (query.flags ?? 0) & RD | Rcode[res.rcode],
      questions: [q], answers, authorities: res.authorities, additionals: [...res.additionals, ...(opt ? [ednsOpt()] : [])],
    }, limit);
  }

  /** A name outside the cluster: the cache, else the upstreams (their answer passed through as it came). */
  private async outside(msg: Buffer, query: DecodedPacket, q: Question, limit: number, edns: boolean): Promise<Buffer> {
    const key = AnswerCache.key(q.name, q.type, q.class);
    const hit = this.cache.get(key);
    const flags = QR | RA | ((query.flags ?? 0) & RD);
    if (hit) {
      return encodeLimited({
        type: 'response', id: query.id, flags: flags | hit.rcode, questions: [q],
        answers: hit.answers, authorities: hit.authorities, additionals: [...hit.additionals, ...(edns ? [ednsOpt()] : [])],
      }, limit);
    }
    try {
      const raw = await forward(msg, this.o.upstreams(), this.o.upstreamTimeoutMs);
      const a = dnsPacket.decode(raw);
      this.cache.put(key, {
        rcode: raw.readUInt16BE(2) & 0xf, answers: a.answers ?? [], authorities: a.authorities ?? [],
        additionals: (a.additionals ?? []).filter((r) => r.type !== 'OPT'),
      });
      if (raw.length <= limit) return raw;
      return encodeLimited({ ...a, flags: (a.flags ?? 0) | QR }, limit);
    } catch (e) {
      this.log(`forwarding ${q.name} ${q.type} failed: ${(e as Error).message}`);
      return header(query.id ?? 0, Rcode.SERVFAIL, flags, q);
    }
  }

  /** The records of an ExternalName's target (another cluster name or an outside one), at most 8 deep. */
  private async chase(name: string, type: Question['type'], depth = 0): Promise<Answer[]> {
    if (depth >= 8) return [];
    const q: Question = { name, type, class: 'IN' };
    const res = resolve(q, this.o.records, this.o.domain);
    if (res.kind === 'answer') return [...res.answers, ...(res.chase ? await this.chase(res.chase, type, depth + 1) : [])];
    const msg = dnsPacket.encode({ type: 'query', id: Math.floor(Math.random() * 65536), flags: RD, questions: [q] });
    const answer = await this.answer(msg).catch(() => undefined);
    return answer ? dnsPacket.decode(answer).answers ?? [] : [];
  }

  private async open(host: string, port: number): Promise<Listener> {
    const family = host.includes(':') ? 'udp6' : 'udp4';
    const udp = createSocket({ type: family, reuseAddr: true });
    await new Promise<void>((res, rej) => {
      udp.once('error', rej);
      udp.bind(port, host, () => { udp.off('error', rej); res(); });
    });
    udp.on('error', (e) => this.log(`udp ${host}:${port}: ${e.message}`));
    udp.on('message', (msg, rinfo) => {
      this.answer(msg, true, rinfo.address).then((out) => {
        if (out) udp.send(out, rinfo.port, rinfo.address);
      }, (e: unknown) => this.log(`answering ${rinfo.address}: ${String(e)}`));
    });
    const bound = udp.address().port;
    const tcp = createServer((sock) => this.serveTcp(sock));
    try {
      await new Promise<void>((res, rej) => {
        tcp.once('error', rej);
        tcp.listen(bound, host, () => { tcp.off('error', rej); res(); });
      });
    } catch (e) {
      udp.close();
      throw e;
    }
    tcp.on('error', (e) => this.log(`tcp ${host}:${bound}: ${e.message}`));
    return { udp, tcp, port: bound };
  }

  /** Length-prefixed messages (RFC 7766), several per connection, closed after 10 s idle. */
  private serveTcp(sock: TcpSocket): void {
    this.connections.add(sock);
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('close', () => this.connections.delete(sock));
    sock.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        this.answer(msg, false, sock.remoteAddress?.replace(/^::ffff:/, '')).then((out) => {
          if (!out || sock.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length);
          sock.write(Buffer.concat([len, out]));
        }, () => sock.destroy());
      }
    });
  }
}

function ednsOpt(): Answer {
  return { type: 'OPT', name: '.', udpPayloadSize: ednsSize, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] };
}

/** Encode; when it does not fit the client's size, the truncated form (TC, no records) sends it to TCP. */
function encodeLimited(p: Packet, limit: number): Buffer {
  const out = dnsPacket.encode(p);
  if (out.length <= limit) return out;
  return dnsPacket.encode({ ...p, flags: (p.flags ?? 0) | TC, answers: [], authorities: [], additionals: [] });
}

function header(id: number, rcode: number, flags = QR, q?: Question): Buffer {
  return dnsPacket.encode({ type: 'response', id, flags: flags | QR | rcode, questions: q ? [q] : [] });
}
