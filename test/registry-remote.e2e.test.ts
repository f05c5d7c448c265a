import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { TestRegistry } from './harness/registry.js';

interface Images { items: { node: string; names: string[]; digest: string }[] }

describe('pull, tag and push on a remote agent go through its tunnel, credentials included', { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent'], { https: true });
  const registry = new TestRegistry('rita', 'tunnel-pass');
  // No busybox of its own: the test pulls it.
  const agent = new RemoteAgent(server, 'edge-r', { busybox: false });
  let digest = '';

  before(async () => {
    await registry.start();
    digest = await registry.putArchive(busyboxArchive(), 'lt/remote', '1');
    await server.start();
    await agent.start();
  });

  after(async () => {
    await agent.remove();
    await server.stop();
    await registry.stop();
  });

  test('login, then pull to the remote node, tag there and push the tag back', async () => {
    const login = await server.lcctl(['login', '-u', 'rita', '--password-stdin', registry.host], 'tunnel-pass\n');
    assert.equal(login.code, 0, login.stderr);
    const ref = `${registry.host}/lt/remote:1`;
    const pull = await server.lcctl(['pull', '--node', 'edge-r', ref]);
    assert.equal(pull.code, 0, `${pull.stderr}\n${agent.log}`);
    assert.match(pull.stdout, /: Download complete$/m, 'per-layer progress came back through the tunnel');
    assert.match(pull.stdout, new RegExp(`^${ref}$`, 'm'));
    const list = await server.api<Images>('GET', '/apis/lantern.dev/v1/images?node=edge-r');
    assert.equal(list.body.items.find((i) => i.names.includes(ref))?.digest, digest);
    const tag = await server.lcctl(['tag', '--node', 'edge-r', ref, `${registry.host}/lt/copy:2`]);
    assert.equal(tag.code, 0, tag.stderr);
    const push = await server.lcctl(['push', '--node', 'edge-r', `${registry.host}/lt/copy:2`]);
    assert.equal(push.code, 0, push.stderr);
    assert.match(push.stdout, /Mounted from lt\/remote|Layer already exists/);
    const head = await fetch(`http://${registry.host}/v2/lt/copy/manifests/2`, { method: 'HEAD', headers: { authorization: registry.basic, accept: 'application/vnd.oci.image.manifest.v1+json' } });
    assert.equal(head.headers.get('docker-content-digest'), digest);
  });
});
