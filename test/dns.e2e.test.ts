/**
 * Cluster DNS end to end: a real server and a real `lanternd agent` on this host, a busybox pod whose
 * resolv.conf points at the node DNS. A Service and its EndpointSlice created through the API resolve
 * from inside the pod by full name and by short name through the search path; an outside name is
 * forwarded to the upstream named by --resolv-conf (a dns-packet server this test runs: there is no
 * internet); and the node keeps answering after the server is stopped.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import dnsPacket from 'dns-packet';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { RemoteAgent } from './harness/remote-agent.js';
import type { Pod } from '../src/api/pod.js';

const run = promisify(execFile);
/** The upstream resolver's address: a loopback address of this test's own, port 53 (resolv.conf names no port). */
const upstreamAddr = '127.0.153.21';

describe('cluster DNS on a node', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-dns-e2e-'));
  const resolvConf = path.join(dir, 'resolv.conf');
  const server = new TestServer(['--no-agent']);
  const agent = new RemoteAgent(server, 'dns-node', { args: ['--resolv-conf', resolvConf] });
  const cli = new Cli(server);
  const upstream = createSocket('udp4');
  let clusterIP = '';

  before(async () => {
    // The node's upstream: knows outside.example, NXDOMAIN for everything else.
    upstream.on('message', (msg, r) => {
      const q = dnsPacket.decode(msg);
      const question = q.questions![0]!;
      const known = question.name === 'outside.example';
      upstream.send(dnsPacket.encode({
        type: 'response', id: q.id, flags: dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), questions: [question],
        answers: known && question.type === 'A' ? [{ type: 'A', name: 'outside.example', ttl: 300, data: '192.0.2.44' }] : [],
      }), r.port, r.address);
    });
    await new Promise<void>((res) => upstream.bind(53, upstreamAddr, res));
    writeFileSync(resolvConf, `nameserver ${upstreamAddr}\nsearch corp.example\n`);
    await server.start();
    await agent.start();
    const svc = await server.api<{ spec: { clusterIP?: string } }>('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }] },
    });
    assert.equal(svc.status, 201, JSON.stringify(svc.body));
    clusterIP = svc.body.spec.clusterIP ?? '';
    assert.match(clusterIP, /^\d+\.\d+\.\d+\.\d+$/, 'the Service got a clusterIP');
    const slice = await server.api('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-manual', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4', endpoints: [{ addresses: ['10.42.77.7'], conditions: { ready: true } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
    assert.equal(slice.status, 201, JSON.stringify(slice.body));
  });
  after(async () => {
    await agent.remove('dns-client').catch(() => undefined);
    await server.stop();
    upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a pod resolves a Service by full and short name, and an outside name through the node\'s upstream', async () => {
    const script = [
      'cat /etc/resolv.conf',
      'echo ---',
      'for i in 1 2 3 4 5 6 7 8 9 10; do nslookup web.default.svc.cluster.local >/tmp/full 2>&1 && break; sleep 1; done; cat /tmp/full',
      'echo ---',
      'ping -c1 -W1 web 2>&1 | head -1',
      'echo ---',
      'nslookup outside.example 2>&1',
      'echo ---end',
      'sleep 3600',
    ].join('; ');
    const created = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dns-client' },
      spec: { nodeSelector: { 'kubernetes.io/hostname': 'dns-node' }, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', script] }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await server.until('pod dns-client Running', async () => (await server.api<Pod>('GET', '/api/v1/namespaces/default/pods/dns-client')).body.status?.phase === 'Running', 60_000);
    const out = await server.until('the pod printed its lookups', async () => {
      const logs = await cli.run(['logs', 'dns-client']);
      return logs.stdout.includes('---end') ? logs.stdout : undefined;
    }, 60_000);
    const [conf = '', full = '', short = '', outside = ''] = out.split('---');
    const ns = /nameserver\s+(\S+)/.exec(conf)?.[1];
    assert.ok(ns, `a nameserver in the pod's resolv.conf:\n${conf}`);
    assert.ok(ns.startsWith(agent.subnet.split('.').slice(0, 3).join('.')) || !ns.startsWith('127.'), `the node DNS is on the pod network, not ${ns}`);
    assert.match(conf, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local corp\.example/);
    assert.match(conf, /options ndots:5/);
    assert.match(full, new RegExp(`Address:\\s+${clusterIP.replaceAll('.', '\\.')}`), `full name:\n${full}\n${agent.log.slice(-2000)}`);
    assert.match(short, new RegExp(`\\(${clusterIP.replaceAll('.', '\\.')}\\)`), `short name through the search path:\n${short}`);
    assert.match(outside, /Address:\s+192\.0\.2\.44/, `outside name:\n${outside}`);
  });

  test('the node keeps answering from what it last knew after the server is stopped', async () => {
    const conf = (await cli.ok(['exec', 'dns-client', 'cat', '/etc/resolv.conf']));
    const ns = /nameserver\s+(\S+)/.exec(conf)![1]!;
    await server.stop();
    const a = await run('busybox', ['nslookup', 'web.default.svc.cluster.local', ns]);
    assert.match(a.stdout, new RegExp(`Address:\\s+${clusterIP.replaceAll('.', '\\.')}`));
    const ptr = await run('busybox', ['nslookup', '10.42.77.7', ns]);
    assert.match(ptr.stdout, /10-42-77-7\.web\.default\.svc\.cluster\.local/);
    await server.start();
  });
});
