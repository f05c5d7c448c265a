import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket, { type DecodedPacket, type RecordType } from 'dns-packet';
import type { Pod } from '../../api/pod.js';
import type { Network, NetworkDriver } from '../../api/schema/network.js';
import { ClusterRecords } from './records.js';
import { DnsServer } from './server.js';
import { resolveUserName, UserNetworkRecords } from './user-names.js';

/** A running pod NAME on node with its primary user network, pod IP and annotations. */
function pod(name: string, opts: { node?: string; network?: string; ip?: string; aliases?: Record<string, string[]>; extra?: string; phase?: string }): Pod {
  const ann: Record<string, string> = {};
  if (opts.network) ann['lantern.dev/network'] = opts.network;
  if (opts.aliases) ann['lantern.dev/network-aliases'] = JSON.stringify(opts.aliases);
  if (opts.extra) ann['k8s.v1.cni.cncf.io/networks'] = opts.extra;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: ann },
    spec: { nodeName: opts.node ?? 'n1', containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: opts.phase ?? 'Running', ...(opts.ip ? { podIP: opts.ip } : {}) },
  } as Pod;
}

const network = (name: string, driver: NetworkDriver): Network =>
  ({ apiVersion: 'lantern.dev/v1', kind: 'Network', metadata: { name }, spec: { driver, subnet: '10.77.0.0/24' } }) as Network;

const ask = (name: string, type: RecordType = 'A') => ({ name, type, class: 'IN' as const });

/** The A addresses answered to source for name; undefined: not a container name for that asker. */
function addresses(r: UserNetworkRecords, source: string, name: string): string[] | undefined {
  const res = resolveUserName(ask(name), source, r);
  if (!res) return undefined;
  assert.equal(res.kind, 'answer');
  return res.kind === 'answer' ? res.answers.map((a) => (a.type === 'A' ? a.data : '')).sort() : [];
}

/** Two bridge networks on node n1: a (alias web) and b on front, c on back; d on the default network. */
function cluster(): UserNetworkRecords {
  const r = new UserNetworkRecords('n1');
  r.putNetwork(network('front', 'bridge'));
  r.putNetwork(network('back', 'bridge'));
  r.replacePods([
    pod('a', { network: 'front', ip: '10.77.0.2', aliases: { front: ['web', 'Www'] } }),
    pod('b', { network: 'front', ip: '10.77.0.3' }),
    pod('c', { network: 'back', ip: '10.78.0.2' }),
    pod('d', { ip: '10.42.0.5' }),
  ]);
  return r;
}

describe('container names on user networks (Docker\'s embedded DNS)', () => {
  test('a pod resolves the pods of its network by name and by alias, case-insensitively', () => {
    const r = cluster();
    assert.deepEqual(addresses(r, '10.77.0.3', 'a'), ['10.77.0.2']);
    assert.deepEqual(addresses(r, '10.77.0.3', 'web'), ['10.77.0.2']);
    assert.deepEqual(addresses(r, '10.77.0.3', 'WWW.'), ['10.77.0.2']);
    assert.deepEqual(addresses(r, '10.77.0.2', 'b'), ['10.77.0.3']);
    assert.deepEqual(addresses(r, '10.77.0.3', 'a.front'), ['10.77.0.2'], 'NAME.NETWORK as Docker answers it');
  });

  test('a pod of another network, or of the default network, does not resolve them', () => {
    const r = cluster();
    assert.equal(addresses(r, '10.78.0.2', 'a'), undefined, 'back cannot see front');
    assert.equal(addresses(r, '10.78.0.2', 'web'), undefined);
    assert.equal(addresses(r, '10.78.0.2', 'a.front'), undefined, 'naming the other network does not help');
    assert.equal(addresses(r, '10.42.0.5', 'a'), undefined, 'a default-network pod asks the cluster zone and upstream');
    assert.equal(addresses(r, '10.77.0.3', 'c'), undefined);
    assert.equal(addresses(r, '10.77.0.3', 'a.b.c'), undefined, 'longer names are not container names');
  });

  test('an AAAA for a known name is NOERROR without data (not forwarded); an unknown name goes on', () => {
    const r = cluster();
    const res = resolveUserName(ask('web', 'AAAA'), '10.77.0.3', r);
    assert.deepEqual(res, { kind: 'answer', rcode: 'NOERROR', answers: [], additionals: [], authorities: [] });
    assert.equal(resolveUserName(ask('nosuch'), '10.77.0.3', r), undefined);
    assert.equal(resolveUserName(ask('a'), undefined, r), undefined, 'no source: no container names');
  });

  test('deleted, terminating and finished pods are gone', () => {
    const r = cluster();
    r.deletePod(pod('a', {}));
    assert.equal(addresses(r, '10.77.0.3', 'web'), undefined);
    r.putPod({ ...pod('a', { network: 'front', ip: '10.77.0.2' }), metadata: { ...pod('a', {}).metadata, annotations: { 'lantern.dev/network': 'front' }, deletionTimestamp: '2024-01-01T00:00:00Z' } });
    assert.equal(addresses(r, '10.77.0.3', 'a'), undefined);
    r.putPod(pod('a', { network: 'front', ip: '10.77.0.2', phase: 'Succeeded' }));
    assert.equal(addresses(r, '10.77.0.3', 'a'), undefined);
  });

  test('a bridge network is one node\'s: pods of another node are neither askers nor answers; macvlan spans nodes', () => {
    const r = new UserNetworkRecords('n1');
    r.putNetwork(network('front', 'bridge'));
    r.putNetwork(network('lan', 'macvlan'));
    r.replacePods([
      pod('a', { network: 'front', ip: '10.77.0.2' }),
      pod('far', { node: 'n2', network: 'front', ip: '10.77.0.2' }),
      pod('near', { network: 'lan', ip: '192.168.5.10' }),
      pod('remote', { node: 'n2', network: 'lan', ip: '192.168.5.11' }),
    ]);
    assert.equal(addresses(r, '10.77.0.2', 'far'), undefined, 'a bridge pod on n2 is not reachable from n1');
    assert.deepEqual(addresses(r, '192.168.5.10', 'remote'), ['192.168.5.11']);
    assert.equal(addresses(r, '192.168.5.11', 'near'), undefined, 'n2\'s pod asks n2\'s DNS');
  });

  test('extra attachments (network connect) resolve by the address the node gave, and go on disconnect', () => {
    const r = cluster();
    r.putPod(pod('d', { ip: '10.42.0.5', extra: 'back', aliases: { back: ['db'] } }));
    assert.equal(addresses(r, '10.78.0.2', 'db'), undefined, 'no address known yet on back');
    r.setLocal('uid-d', 'back', '10.78.0.9');
    assert.deepEqual(addresses(r, '10.78.0.2', 'db'), ['10.78.0.9']);
    assert.deepEqual(addresses(r, '10.78.0.2', 'd'), ['10.78.0.9']);
    assert.deepEqual(addresses(r, '10.42.0.5', 'c'), ['10.78.0.2'], 'd asks from its default-network address and sees back');
    assert.equal(addresses(r, '10.42.0.5', 'a'), undefined, 'but not front');
    r.setLocal('uid-d', 'back', undefined);
    assert.equal(addresses(r, '10.78.0.2', 'db'), undefined);
  });

  test('the DNS server answers by the query\'s source address and forwards what is not a container name', async () => {
    const r = cluster();
    const server = new DnsServer({ records: new ClusterRecords(), domain: 'cluster.local', upstreams: () => [], userNames: r, log: () => undefined, upstreamTimeoutMs: 100 });
    const query = (name: string): Buffer => dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [ask(name)] });
    const rcode = (p: DecodedPacket): string => (p as DecodedPacket & { rcode: string }).rcode;
    const mine = dnsPacket.decode((await server.answer(query('web'), true, '10.77.0.3'))!);
    assert.equal(rcode(mine), 'NOERROR');
    assert.deepEqual(mine.answers?.map((a) => (a.type === 'A' ? a.data : '')), ['10.77.0.2']);
    const theirs = dnsPacket.decode((await server.answer(query('web'), true, '10.78.0.2'))!);
    assert.equal(rcode(theirs), 'SERVFAIL', 'not theirs: forwarded (no upstream here)');
    const cluster2 = dnsPacket.decode((await server.answer(query('x.default.svc.cluster.local'), true, '10.77.0.3'))!);
    assert.equal(rcode(cluster2), 'NXDOMAIN', 'cluster names still come from the cluster zone');
  });
});
