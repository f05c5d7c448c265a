import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import dnsPacket, { type DecodedPacket, type RecordType } from 'dns-packet';
import { ClusterRecords } from './records.js';
import { DnsServer } from './server.js';
import { overTcp, type Upstream } from './upstream.js';
import { ready, slice, svc } from './testkit.js';

const run = promisify(execFile);
/** dns-packet decodes the response code, its types do not name it. */
const rcodeOf = (p: DecodedPacket): string => (p as DecodedPacket & { rcode: string }).rcode;

/** A tiny upstream resolver (dns-packet over UDP) that knows example.org and counts what it is asked. */
async function fakeUpstream(): Promise<{ sock: Socket; port: number; asked: string[] }> {
  const sock = createSocket('udp4');
  const asked: string[] = [];
  sock.on('message', (msg, r) => {
    const q = dnsPacket.decode(msg);
    const question = q.questions![0]!;
    asked.push(question.name);
    const known = question.name === 'example.org';
    sock.send(dnsPacket.encode({
      type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), questions: [question],
      answers: known && question.type === 'A' ? [{ type: 'A', name: 'example.org', ttl: 300, data: '192.0.2.80' }] : [],
      authorities: known ? [] : [{ type: 'SOA', name: 'org', ttl: 60, data: { mname: 'a.org', rname: 'h.org', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 60 } }],
    }), r.port, r.address);
  });
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', res));
  return { sock, port: sock.address().port, asked };
}

async function udpQuery(port: number, name: string, type: RecordType = 'A', host = '127.0.0.1'): Promise<DecodedPacket> {
  const sock = createSocket('udp4');
  try {
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer for ${name}`)), 3000);
      sock.on('message', (m) => { clearTimeout(timer); resolve(dnsPacket.decode(m)); });
      sock.send(dnsPacket.encode({ type: 'query', id: 42, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] }), port, host);
    });
  } finally {
    sock.close();
  }
}

describe('DnsServer over real sockets', () => {
  const records = new ClusterRecords();
  let upstream: Awaited<ReturnType<typeof fakeUpstream>>;
  let server: DnsServer;
  let port: number;

  before(async () => {
    upstream = await fakeUpstream();
    records.putService(svc('default', 'web', { clusterIP: '10.43.0.10', ports: [{ port: 80 }] }));
    records.putService(svc('default', 'many', { clusterIP: 'None' }));
    records.putSlice(slice('default', 'many', 'many-1', Array.from({ length: 60 }, (_, i) => ready(`10.42.7.${i + 1}`))));
    const upstreams: Upstream[] = [{ host: '127.0.0.1', port: upstream.port }];
    server = new DnsServer({ records, domain: 'cluster.local', upstreams: () => upstreams, log: () => undefined });
    port = await server.listen('127.0.0.1', 0);
  });
  after(async () => {
    await server.close();
    upstream.sock.close();
  });

  test('UDP: a cluster name answers from the records', async () => {
    const p = await udpQuery(port, 'web.default.svc.cluster.local');
    assert.equal(p.id, 42);
    assert.deepEqual(p.answers?.map((a) => 'data' in a && a.data), ['10.43.0.10']);
  });

  test('TCP: the same answer over a length-prefixed stream', async () => {
    const q = dnsPacket.encode({ type: 'query', id: 9, questions: [{ type: 'A', name: 'web.default.svc.cluster.local' }] });
    const p = dnsPacket.decode(await overTcp(q, { host: '127.0.0.1', port }, 3000));
    assert.deepEqual(p.answers?.map((a) => 'data' in a && a.data), ['10.43.0.10']);
  });

  test('outside names go upstream once, then come from the cache; NXDOMAIN is cached by its SOA', async () => {
    const before = upstream.asked.length;
    const first = await udpQuery(port, 'example.org');
    const second = await udpQuery(port, 'example.org');
    assert.deepEqual([first, second].map((p) => p.answers?.map((a) => 'data' in a && a.data)), [['192.0.2.80'], ['192.0.2.80']]);
    assert.equal(second.id, 42);
    assert.equal(upstream.asked.length - before, 1, 'the second answer came from the cache');
    assert.equal(rcodeOf(await udpQuery(port, 'missing.example')), 'NXDOMAIN');
    assert.equal(rcodeOf(await udpQuery(port, 'missing.example')), 'NXDOMAIN');
    assert.equal(upstream.asked.filter((n) => n === 'missing.example').length, 1);
  });

  test('an answer too big for UDP is truncated, and TCP gives all of it', async () => {
    const p = await udpQuery(port, 'many.default.svc.cluster.local');
    assert.equal(p.flag_tc, true);
    const q = dnsPacket.encode({ type: 'query', id: 3, questions: [{ type: 'A', name: 'many.default.svc.cluster.local' }] });
    const full = dnsPacket.decode(await overTcp(q, { host: '127.0.0.1', port }, 3000));
    assert.equal(full.answers?.length, 60);
  });

  test('no upstream answering is SERVFAIL, and garbage does not stop the server', async () => {
    const dead = new DnsServer({ records, domain: 'cluster.local', upstreams: () => [{ host: '127.0.0.1', port: 9 }], upstreamTimeoutMs: 300, log: () => undefined });
    const p = await dead.answer(dnsPacket.encode({ type: 'query', id: 5, questions: [{ type: 'A', name: 'example.net' }] }));
    assert.equal(rcodeOf(dnsPacket.decode(p!)), 'SERVFAIL');
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.send(Buffer.from('not dns at all'), port, '127.0.0.1', () => r()));
    sock.close();
    assert.equal(rcodeOf(await udpQuery(port, 'web.default.svc.cluster.local')), 'NOERROR');
  });

  test('busybox nslookup resolves a Service, a reverse name and an outside name', async () => {
    // nslookup asks port 53: a loopback address of this test's own.
    const addr = '127.0.153.7';
    await server.listen(addr, 53);
    const a = await run('busybox', ['nslookup', 'web.default.svc.cluster.local', addr]);
    assert.match(a.stdout, /Address:\s+10\.43\.0\.10/);
    const ptr = await run('busybox', ['nslookup', '10.43.0.10', addr]);
    assert.match(ptr.stdout, /web\.default\.svc\.cluster\.local/);
    const out = await run('busybox', ['nslookup', 'example.org', addr]);
    assert.match(out.stdout, /Address:\s+192\.0\.2\.80/);
    const nx = await run('busybox', ['nslookup', 'nope.default.svc.cluster.local', addr]).then(() => assert.fail('an unknown Service resolved'), (e: { stdout: string }) => e);
    assert.match(nx.stdout, /NXDOMAIN/);
  });
});
