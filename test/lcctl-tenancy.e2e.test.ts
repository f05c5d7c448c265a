/**
 * The tenancy verbs as a new user types them: lcctl create namespace, lcctl create quota --hard, then
 * a pod beyond the quota is refused with Kubernetes' message naming the quota.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const server = new TestServer([]);
const cli = new Cli(server);

before(async () => { await server.start(); });
after(async () => { await server.stop(); });

test('create namespace and create quota: the pod beyond the quota is refused naming it, and bad --hard is a usage error', async () => {
  assert.equal((await cli.ok(['create', 'namespace', 'tq-team'])).trim(), 'namespace/tq-team created');
  assert.equal((await cli.ok(['create', 'quota', 'tq-pods', '--hard=pods=1,requests.cpu=1', '-n', 'tq-team'])).trim(), 'resourcequota/tq-pods created');
  const quota = JSON.parse(await cli.ok(['get', 'resourcequota', 'tq-pods', '-n', 'tq-team', '-o', 'json'])) as { spec: { hard: Record<string, string> } };
  assert.deepEqual(quota.spec.hard, { pods: '1', 'requests.cpu': '1' });
  const pod = (name: string): string => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'tq-team' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '1'], resources: { requests: { cpu: '100m' } } }] } });
  await cli.ok(['apply', '-f', '-'], pod('first'));
  const refused = await cli.run(['apply', '-f', '-'], pod('second'));
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /exceeded quota: tq-pods, requested: pods=1, used: pods=1, limited: pods=1/);
  const bad = await cli.run(['create', 'quota', 'tq-bad', '--hard=pods', '-n', 'tq-team']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--hard: expected RESOURCE=QUANTITY/);
});
