import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';
import { RemoteAgent } from './harness/remote-agent.js';

interface Images { items: { node: string; names: string[]; id: string }[] }

/**
 * `lcctl build --node NAME` for a node that joined from elsewhere: the context goes down the node's
 * tunnel, the build runs on that node's runtime and snapshotter, and its progress comes back up.
 */
describe('a build on a remote agent goes through its tunnel', { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent']);
  const cli = new Cli(server);
  const agent = new RemoteAgent(server, 'edge-build');
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-build-remote-'));

  before(async () => {
    await server.start();
    await agent.start();
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox\nCOPY greeting /greeting\nRUN echo built-remotely && cat /greeting > /copied\n');
    writeFileSync(path.join(dir, 'greeting'), 'hello from the context\n');
  });
  after(async () => {
    await agent.remove();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the steps run on the remote node, RUN output streams back, and the image is stored there', async () => {
    const r = await cli.run(['build', '--node', 'edge-build', '-t', 'remote-built:1', dir]);
    assert.equal(r.code, 0, `${explain(server, r)}\n--- agent log ---\n${agent.log.slice(-3000)}`);
    assert.match(r.stdout, /^Step 3\/3 : RUN echo/m);
    assert.match(r.stdout, /^ ---> Running in [0-9a-f]{12}\nbuilt-remotely\nRemoving intermediate container [0-9a-f]{12}\n/m, 'RUN output came back through the tunnel');
    assert.match(r.stdout, /^Successfully tagged remote-built:1$/m);
    const list = await server.api<Images>('GET', '/apis/lantern.dev/v1/images?node=edge-build');
    assert.ok(list.body.items.some((i) => i.names.includes('docker.io/library/remote-built:1')), JSON.stringify(list.body));
  });

  test('a rebuild uses the remote node\'s cache, and a failing RUN fails the build with its exit code', async () => {
    const again = await cli.ok(['build', '--node', 'edge-build', '-t', 'remote-built:1', dir]);
    assert.equal((again.match(/Using cache/g) ?? []).length, 2, again);
    writeFileSync(path.join(dir, 'Dockerfile.bad'), 'FROM busybox\nRUN echo going down && exit 7\n');
    const bad = await cli.run(['build', '--node', 'edge-build', '-f', path.join(dir, 'Dockerfile.bad'), dir]);
    assert.equal(bad.code, 1, explain(server, bad));
    assert.match(bad.stdout, /going down/);
    assert.match(bad.stderr, /The command '\/bin\/sh -c echo going down && exit 7' returned a non-zero code: 7/);
  });
});
