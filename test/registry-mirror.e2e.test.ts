import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { runPodOn } from './harness/remote-nodes.js';

interface Images { items: { node: string; names: string[]; id: string; digest: string }[] }
interface PodView { status?: { containerStatuses?: { state?: { waiting?: { reason?: string; message?: string } } }[] } }

describe("a remote agent pulls the server node's images from the server's built-in registry", { timeout: 240_000 }, () => {
  const server = new TestServer([], { https: true });
  // It starts without images: the test is that it pulls them from the server.
  const agent = new RemoteAgent(server, 'edge-m', { busybox: false });
  let serverImage: Images['items'][number] | undefined;

  before(async () => {
    await server.start();
    const imported = await server.lcctl(['image', 'import', '--node', 'node-1', busyboxArchive(), 'busybox:latest']);
    assert.equal(imported.code, 0, imported.stderr);
    const list = await server.api<Images>('GET', '/apis/lantern.dev/v1/images?node=node-1');
    serverImage = list.body.items.find((i) => i.names.includes('docker.io/library/busybox:latest'));
    assert.ok(serverImage, JSON.stringify(list.body));
  });

  after(async () => {
    await agent.remove('pulled', 'absent');
    await server.stop();
  });

  test('an image imported on the server node is served by its registry, byte for byte', async () => {
    const tags = await server.until(`library/busybox in the registry (log: ${server.logs.slice(-2000)})`, async () => {
      const r = await server.api<{ tags?: string[] }>('GET', '/v2/library/busybox/tags/list');
      return r.status === 200 && r.body.tags?.includes('latest') ? r.body : undefined;
    });
    assert.deepEqual(tags, { name: 'library/busybox', tags: ['latest'] });
    // skopeo, with the admin token as a Basic password, sees the same manifest digest and config.
    const port = new URL(server.url).port;
    const inspect = spawnSync('skopeo', ['inspect', '--tls-verify=false', '--creds', `x:${server.token}`, `docker://127.0.0.1:${port}/library/busybox:latest`], { encoding: 'utf8' });
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.equal((JSON.parse(inspect.stdout) as { Digest: string }).Digest, serverImage!.digest);
    const raw = spawnSync('skopeo', ['inspect', '--raw', '--config', '--tls-verify=false', '--creds', `x:${server.token}`, `docker://127.0.0.1:${port}/library/busybox:latest`]);
    assert.equal(raw.status, 0, raw.stderr.toString());
    assert.equal(`sha256:${(await import('node:crypto')).createHash('sha256').update(raw.stdout).digest('hex')}`, serverImage!.id);
  });

  test('a pod on a remote agent without the image runs: the agent pulled it from the server', async () => {
    await agent.start();
    // The node's images are listed through its tunnel, which comes up just after the node.
    const before = await server.until('the agent lists its images', async () => {
      const r = await server.api<Images>('GET', '/apis/lantern.dev/v1/images?node=edge-m');
      return r.status === 200 ? r.body : undefined;
    });
    assert.deepEqual(before.items, [], 'the agent starts without images');

    await runPodOn(server, 'pulled', 'edge-m');
    const logs = await server.lcctl(['logs', 'pulled']);
    assert.match(logs.stdout, /^up$/m, logs.stderr);
    const after = await server.api<Images>('GET', '/apis/lantern.dev/v1/images?node=edge-m');
    const got = after.body.items.find((i) => i.names.includes('docker.io/library/busybox:latest'));
    assert.ok(got, JSON.stringify(after.body));
    assert.equal(got.digest, serverImage!.digest, 'the same manifest as the server node holds');
    assert.match(agent.log, /pulled image "busybox" from the server's registry \(127\.0\.0\.1:\d+\/library\/busybox:latest\)/);
  });

  test("an image the server lacks still fails with ErrImagePull from the image's own registry", async () => {
    const created = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'absent' },
      spec: { nodeSelector: { 'kubernetes.io/hostname': 'edge-m' }, containers: [{ name: 'c', image: 'localhost:1/team/absent:v1' }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const waiting = await server.until(`pod absent ErrImagePull (agent log: ${agent.log.slice(-2000)})`, async () => {
      const r = await server.api<PodView>('GET', '/api/v1/namespaces/default/pods/absent');
      const w = r.body.status?.containerStatuses?.[0]?.state?.waiting;
      return w && /ErrImagePull|ImagePullBackOff/.test(w.reason ?? '') ? w : undefined;
    }, 60_000);
    assert.match(waiting.message ?? '', /localhost:1\b/);
    assert.doesNotMatch(waiting.message ?? '', /127\.0\.0\.1/);
    assert.match(agent.log, /image "localhost:1\/team\/absent:v1" is not in the server's registry \(127\.0\.0\.1:\d+\/localhost-1\/team\/absent:v1\); pulling from localhost:1/);
  });
});

describe('images the server node held before it started are put in the registry at start', { timeout: 120_000 }, () => {
  const server = new TestServer([], { https: true });

  before(async () => { await server.start(); });
  after(async () => { await server.stop(); });

  test('a registry emptied while the server was down holds the node\'s named images again after start', async () => {
    const imported = await server.lcctl(['image', 'import', '--node', 'node-1', busyboxArchive(), 'localhost:5000/team/app:1']);
    assert.equal(imported.code, 0, imported.stderr);
    await server.until('team app mirrored', async () => (await server.api<{ tags?: string[] }>('GET', '/v2/localhost-5000/team/app/tags/list')).body.tags?.includes('1'));
    await server.kill9();
    // As a server that predates the mirror: images on its node, nothing in its registry.
    rmSync(path.join(server.dataDir, 'registry'), { recursive: true, force: true });
    await server.start();
    const tags = await server.until(`tags back (log: ${server.logs.slice(-2000)})`, async () => {
      const r = await server.api<{ tags?: string[] }>('GET', '/v2/localhost-5000/team/app/tags/list');
      // The repository appears with its first blob; the tag comes with the manifest, last.
      return r.status === 200 && r.body.tags?.length ? r.body : undefined;
    });
    assert.deepEqual(tags, { name: 'localhost-5000/team/app', tags: ['1'] });
    // The name the archive carries is mirrored too.
    await server.until('library/busybox:latest back', async () => (await server.api<{ tags?: string[] }>('GET', '/v2/library/busybox/tags/list')).body.tags?.includes('latest'));
  });
});
