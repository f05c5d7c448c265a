/**
 * Leader election (issue 16 item 3): two `lanternd server --no-agent` on one real etcd and one
 * `lanternd sim` node. Only the leader runs the scheduler; SIGKILL of the leader hands the lease to the
 * other server, which binds the next pod; no pod is bound twice.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../src/api/pod.js';
import type { Lease } from '../src/api/schema/lease.js';
import { TestServer, type LanterndProcess } from './harness/lanternd.js';
import { startSim } from './harness/sim.js';
import { TestEtcd } from './harness/etcd.js';

const etcd = new TestEtcd();
let a: TestServer;
let b: TestServer;
let sim: LanterndProcess | undefined;

interface List<T> { items: T[] }
const leasePath = '/apis/coordination.k8s.io/v1/namespaces/lantern-system/leases/lantern-leader';
const lease = async (s: TestServer): Promise<Lease> => (await s.api<Lease>('GET', leasePath)).body;
const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } } as Pod);
const boundTo = async (s: TestServer, name: string): Promise<string | undefined> => (await s.api<Pod>('GET', `/api/v1/namespaces/default/pods/${name}`)).body.spec?.nodeName;
const scheduledEvents = async (s: TestServer, name: string): Promise<number> =>
  (await s.api<List<{ reason?: string; involvedObject?: { name?: string } }>>('GET', '/api/v1/namespaces/default/events')).body.items
    .filter((e) => e.reason === 'Scheduled' && e.involvedObject?.name === name).length;

before(async () => {
  await etcd.start();
  a = new TestServer(['--no-agent', '--datastore-endpoint', etcd.endpoint]);
  await a.start();
  b = new TestServer(['--no-agent', '--datastore-endpoint', etcd.endpoint]);
  await b.start();
});
after(async () => {
  await sim?.kill9();
  await a?.stop();
  await b?.stop();
  await etcd.stop();
});

test('only the leader binds; after SIGKILL of the leader the other server takes the lease and binds the next pod; no pod is bound twice', async () => {
  const first = await lease(b);
  const holder = first.spec?.holderIdentity ?? '';
  assert.ok(a.logs.includes(`${holder} leads`), `the first server leads (holder ${holder})`);
  assert.ok(!b.logs.includes(' leads '), 'the second server waits');
  const shown = await b.lcctl(['get', 'leases', '-n', 'lantern-system']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /NAME\s+HOLDER\s+AGE/);
  assert.ok(shown.stdout.includes(holder), shown.stdout);

  sim = startSim(b.url, b.joinToken, ['--nodes', '1', '--name-prefix', 'l1-', '--heartbeat-interval', '1s']);
  await b.until('the sim node', async () => (await b.api<List<unknown>>('GET', '/api/v1/nodes')).body.items.length === 1, 60_000);
  assert.equal((await b.api('POST', '/api/v1/namespaces/default/pods', pod('before'))).status, 201);
  const node = await b.until('"before" bound by the leader', () => boundTo(b, 'before'), 60_000);

  await a.kill9();
  assert.equal((await b.api('POST', '/api/v1/namespaces/default/pods', pod('after'))).status, 201);
  await b.until('"after" bound by the new leader', () => boundTo(b, 'after'), 90_000);
  const next = await lease(b);
  const newHolder = next.spec?.holderIdentity ?? '';
  assert.notEqual(newHolder, holder);
  assert.ok(b.logs.includes(`${newHolder} leads`), 'the surviving server holds the lease');
  assert.equal(next.spec?.leaseTransitions, (first.spec?.leaseTransitions ?? 0) + 1);
  assert.equal(await boundTo(b, 'before'), node, 'the pod bound before the failover stays where it was');
  assert.equal(await scheduledEvents(b, 'before'), 1, 'bound once');
  assert.equal(await scheduledEvents(b, 'after'), 1, 'bound once');
});
