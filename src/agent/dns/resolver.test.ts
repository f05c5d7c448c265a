import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket, { type Answer, type RecordType } from 'dns-packet';
import { ClusterRecords } from './records.js';
import { DnsServer } from './server.js';
import { notReady, ready, slice, svc } from './testkit.js';

/** Records in, a query encoded with dns-packet through the server's answer path (no sockets), the decoded answer out. */
async function ask(records: ClusterRecords, name: string, type: RecordType = 'A', domain = 'cluster.local') {
  const server = new DnsServer({ records, domain, upstreams: () => [], log: () => undefined });
  const out = await server.answer(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type, name }] }));
  assert.ok(out, 'an answer');
  const p = dnsPacket.decode(out);
  assert.equal(p.id, 7);
  return { rcode: (p as typeof p & { rcode: string }).rcode, aa: p.flag_aa, answers: p.answers ?? [], additionals: p.additionals ?? [] };
}
const data = (as: Answer[]): unknown[] => as.map((a) => ('data' in a ? a.data : undefined));

function cluster(): ClusterRecords {
  const r = new ClusterRecords();
  r.putService(svc('default', 'web', { clusterIP: '10.43.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: 'web' } }));
  r.putSlice(slice('default', 'web', 'web-abc', [ready('10.42.1.5'), notReady('10.42.2.6')], [{ name: 'http', port: 8080, protocol: 'TCP' }]));
  r.putService(svc('db', 'pg', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }], selector: { app: 'pg' } }));
  r.putSlice(slice('db', 'pg', 'pg-1', [ready('10.42.1.7', 'pg-0'), ready('10.42.2.8', 'pg-1'), notReady('10.42.3.9')], [{ name: 'pg', port: 5432, protocol: 'TCP' }]));
  r.putService(svc('default', 'ext', { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' }));
  return r;
}

describe('cluster DNS answers (resolver + records)', () => {
  test('a ClusterIP Service resolves to its clusterIP, authoritatively, with a short TTL', async () => {
    const a = await ask(cluster(), 'web.default.svc.cluster.local');
    assert.equal(a.rcode, 'NOERROR');
    assert.equal(a.aa, true);
    assert.deepEqual(data(a.answers), ['10.43.0.10']);
    assert.equal(a.answers[0]!.type === 'A' && a.answers[0]!.ttl, 5);
  });

  test('names compare without case and with a trailing dot', async () => {
    assert.deepEqual(data((await ask(cluster(), 'WEB.Default.SVC.cluster.local.')).answers), ['10.43.0.10']);
  });

  test('a headless Service gives every ready endpoint, and each hostname its own name', async () => {
    const r = cluster();
    assert.deepEqual(data((await ask(r, 'pg.db.svc.cluster.local')).answers).sort(), ['10.42.1.7', '10.42.2.8']);
    assert.deepEqual(data((await ask(r, 'pg-1.pg.db.svc.cluster.local')).answers), ['10.42.2.8']);
    // An endpoint without a hostname is known by its address with dashes.
    r.putSlice(slice('db', 'pg', 'pg-2', [ready('10.42.4.4')]));
    assert.deepEqual(data((await ask(r, '10-42-4-4.pg.db.svc.cluster.local')).answers), ['10.42.4.4']);
  });

  test('an endpoint turning unready or a slice going leaves the answer', async () => {
    const r = cluster();
    r.putSlice(slice('db', 'pg', 'pg-1', [ready('10.42.1.7', 'pg-0'), notReady('10.42.2.8')], [{ name: 'pg', port: 5432 }]));
    assert.deepEqual(data((await ask(r, 'pg.db.svc.cluster.local')).answers), ['10.42.1.7']);
    r.deleteSlice(slice('db', 'pg', 'pg-1', []));
    const a = await ask(r, 'pg.db.svc.cluster.local');
    assert.equal(a.rcode, 'NOERROR');
    assert.deepEqual(a.answers, []);
  });

  test('SRV for a named port: the Service with its port, or each headless endpoint with its target port', async () => {
    const a = await ask(cluster(), '_http._tcp.web.default.svc.cluster.local', 'SRV');
    assert.deepEqual(data(a.answers), [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    assert.deepEqual(data(a.additionals.filter((x) => x.type === 'A')), ['10.43.0.10']);
    const h = await ask(cluster(), '_pg._tcp.pg.db.svc.cluster.local', 'SRV');
    assert.deepEqual(data(h.answers).map((d) => (d as { target: string }).target).sort(), ['pg-0.pg.db.svc.cluster.local', 'pg-1.pg.db.svc.cluster.local']);
    assert.equal((await ask(cluster(), '_http._udp.web.default.svc.cluster.local', 'SRV')).rcode, 'NXDOMAIN');
  });

  test('PTR for a clusterIP and an endpoint address', async () => {
    assert.deepEqual(data((await ask(cluster(), '10.0.43.10.in-addr.arpa', 'PTR')).answers), ['web.default.svc.cluster.local']);
    assert.deepEqual(data((await ask(cluster(), '7.1.42.10.in-addr.arpa', 'PTR')).answers), ['pg-0.pg.db.svc.cluster.local']);
  });

  test('an ExternalName is a CNAME, followed to what its target resolves to', async () => {
    const a = await ask(cluster(), 'ext.default.svc.cluster.local');
    assert.deepEqual(a.answers.map((x) => [x.type, 'data' in x ? x.data : '']), [['CNAME', 'web.default.svc.cluster.local'], ['A', '10.43.0.10']]);
  });

  test('unknown cluster names are NXDOMAIN with the zone SOA; the namespace level exists without records', async () => {
    const a = await ask(cluster(), 'nope.default.svc.cluster.local');
    assert.equal(a.rcode, 'NXDOMAIN');
    const p = dnsPacket.decode((await new DnsServer({ records: cluster(), domain: 'cluster.local', upstreams: () => [] })
      .answer(dnsPacket.encode({ type: 'query', id: 1, questions: [{ type: 'A', name: 'nope.default.svc.cluster.local' }] })))!);
    assert.equal(p.authorities?.[0]?.type, 'SOA');
    assert.equal((await ask(cluster(), 'default.svc.cluster.local')).rcode, 'NOERROR');
    assert.equal((await ask(cluster(), 'web.default.svc.cluster.local', 'AAAA')).rcode, 'NOERROR');
  });

  test('pod names with dashes resolve to their address; a deleted Service is gone', async () => {
    const r = cluster();
    assert.deepEqual(data((await ask(r, '10-42-1-5.default.pod.cluster.local')).answers), ['10.42.1.5']);
    r.deleteService(svc('default', 'web', {}));
    assert.equal((await ask(r, 'web.default.svc.cluster.local')).rcode, 'NXDOMAIN');
    assert.equal((await ask(r, '10.0.43.10.in-addr.arpa', 'PTR')).rcode, 'SERVFAIL', 'unknown reverse names are forwarded (no upstream here)');
  });

  test('another cluster domain is honoured', async () => {
    assert.deepEqual(data((await ask(cluster(), 'web.default.svc.edge.lan', 'A', 'edge.lan')).answers), ['10.43.0.10']);
  });

  test('a snapshot replaces everything', async () => {
    const r = cluster();
    const snap = r.snapshot();
    const fresh = new ClusterRecords();
    fresh.replaceAll(snap.services, snap.slices);
    assert.deepEqual(data((await ask(fresh, 'pg.db.svc.cluster.local')).answers).sort(), ['10.42.1.7', '10.42.2.8']);
  });
});
