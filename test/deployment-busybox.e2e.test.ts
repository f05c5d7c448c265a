/**
 * A Deployment of real busybox containers (runc, conmon, CNI) driven only through lcctl: create, scale,
 * set image to a second tag, rollout status, rollout undo; the containers really run the new image.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../src/api/pod.js';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';

const server = new TestServer();
const cli = new Cli(server);

interface List<T> { items: T[] }
const live = async (): Promise<Pod[]> => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dbox')).body.items
  .filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running');

before(async () => {
  await server.start();
  await cli.importBusybox();
  await cli.ok(['tag', 'busybox:latest', 'busybox:v2']);
});
after(async () => {
  // Deleting the Deployment lets the agent stop its containers before the server goes.
  await server.lcctl(['delete', 'deployment', 'box']);
  await server.until('deployment pods gone', async () => (await server.api<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dbox')).body.items.length === 0, 60_000).catch(() => undefined);
  await server.stop();
});

test('create deployment, scale, set image, rollout status and undo on real busybox containers', async () => {
  assert.equal(await cli.ok(['create', 'deployment', 'box', '--image=busybox:latest', '--replicas=2', '--', 'sh', '-c', 'while :; do sleep 1; done']), 'deployment.apps/box created\n');
  const status = await cli.ok(['rollout', 'status', 'deployment/box', '--timeout', '120s']);
  assert.match(status, /deployment "box" successfully rolled out\n$/);
  let pods = await live();
  assert.equal(pods.length, 2);
  assert.ok(pods.every((p) => p.status?.containerStatuses?.[0]?.state.running !== undefined), 'containers are running');
  assert.ok(pods.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')));

  assert.equal(await cli.ok(['scale', 'deployment/box', '--replicas=3']), 'deployment.apps/box scaled\n');
  await cli.ok(['rollout', 'status', 'deployment/box', '--timeout', '120s']);
  assert.equal((await live()).length, 3);
  assert.match(await cli.ok(['get', 'deploy', 'box']), /\nbox\s+3\/3\s+3\s+3\s+\S+\n/);

  assert.equal(await cli.ok(['set', 'image', 'deployment/box', 'busybox=busybox:v2']), 'deployment.apps/box image updated\n');
  const rolled = await cli.ok(['rollout', 'status', 'deployment/box', '--timeout', '120s']);
  assert.match(rolled, /successfully rolled out/);
  pods = await server.until('3 running pods on busybox:v2', async () => {
    const ps = await live();
    return ps.length === 3 && ps.every((p) => p.spec.containers[0]!.image === 'busybox:v2' && p.status?.containerStatuses?.[0]?.state.running) && ps;
  }, 60_000);
  // The container really runs: exec into a new pod.
  const out = await cli.ok(['exec', pods[0]!.metadata.name, 'echo', 'alive']);
  assert.equal(out, 'alive\n');

  assert.equal(await cli.ok(['rollout', 'undo', 'deployment/box']), 'deployment.apps/box rolled back\n');
  await cli.ok(['rollout', 'status', 'deployment/box', '--timeout', '120s']);
  await server.until('3 running pods back on busybox:latest', async () => {
    const ps = await live();
    return ps.length === 3 && ps.every((p) => p.spec.containers[0]!.image === 'busybox:latest');
  }, 60_000);
  assert.match(await cli.ok(['rollout', 'history', 'deployment/box']), /\n2\s+<none>\n3\s+<none>\n/);
});
