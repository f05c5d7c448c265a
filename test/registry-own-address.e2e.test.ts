import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { TestRegistry } from './harness/registry.js';

interface Images { items: { node: string; names: string[] }[] }

/**
 * The built-in registry named by the server's own address (README: `lcctl tag app:1 127.0.0.1:6443/team/app:1`):
 * the server speaks HTTPS with the cluster CA, so its node and remote agents must reach it over HTTPS
 * trusting that CA (not over plain HTTP because the host is loopback), with a credential it accepts.
 */
describe("the built-in registry by the server's own address, over HTTPS", { timeout: 300_000 }, () => {
  const server = new TestServer([], { https: true });
  const cli = new Cli(server);
  const edge = new RemoteAgent(server, 'edge-own');
  const plain = new TestRegistry('pat', 'Plain-pass1');
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-own-registry-'));
  let host = '';

  const namesOn = async (node: string): Promise<string[]> =>
    (await server.api<Images>('GET', `/apis/lantern.dev/v1/images?node=${node}`)).body.items.flatMap((i) => i.names);
  const runOn = (node: string, image: string, ...cmd: string[]): Promise<string> =>
    cli.ok(['run', '--rm', '--constraint', `node.hostname==${node}`, image, ...cmd]);

  before(async () => {
    await plain.start();
    await server.start();
    host = new URL(server.url).host;
    assert.match(host, /^127\.0\.0\.1:\d+$/);
    await cli.ok(['image', 'import', '--node', 'node-1', busyboxArchive(), 'busybox:latest']);
    await edge.start();
  });
  after(async () => {
    await edge.remove();
    await server.stop();
    await plain.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('lcctl tag + push to 127.0.0.1:PORT from the server node, then a pod there pulls it back from the registry', async () => {
    const ref = `${host}/team/app:1`;
    await cli.ok(['tag', '--node', 'node-1', 'busybox', ref]);
    const push = await cli.ok(['push', '--node', 'node-1', ref]);
    assert.match(push, /1: digest: sha256:[0-9a-f]{64}/);
    await cli.ok(['rmi', '--node', 'node-1', ref]);
    assert.ok(!(await namesOn('node-1')).includes(ref), 'the tag is gone from the node, so the pod must pull it');
    assert.equal(await runOn('node-1', ref, 'echo', 'ok'), 'ok\n');
    assert.ok((await namesOn('node-1')).includes(ref), 'pulled from the registry by its own address');
  });

  test('a remote agent pushes to the server registry by the same address and runs the image from it', async () => {
    const ref = `${host}/team/edge:1`;
    await cli.ok(['tag', '--node', 'edge-own', 'busybox', ref]);
    await cli.ok(['push', '--node', 'edge-own', ref]);
    await cli.ok(['rmi', '--node', 'edge-own', ref]);
    assert.equal(await runOn('edge-own', ref, 'echo', 'ok'), 'ok\n');
    assert.ok((await namesOn('edge-own')).includes(ref));
    // Never on the server node, so not in its mirror: the server node pulls it by that address too.
    assert.equal(await runOn('node-1', ref, 'echo', 'here'), 'here\n');
  });

  test('skopeo pushes with the cluster CA and the admin token; both nodes run it, and a Dockerfile FROM it builds', async () => {
    const certs = path.join(dir, 'certs');
    mkdirSync(certs, { recursive: true });
    writeFileSync(path.join(certs, 'ca.crt'), server.ca!);
    const ref = `${host}/team/sko:1`;
    const copy = spawnSync('skopeo', ['copy', '--dest-cert-dir', certs, '--dest-creds', `x:${server.token}`, `docker-archive:${busyboxArchive()}`, `docker://${ref}`], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(copy.status, 0, copy.stderr);
    assert.equal(await runOn('edge-own', ref, 'echo', 'ok'), 'ok\n');
    const ctx = path.join(dir, 'ctx');
    mkdirSync(ctx, { recursive: true });
    writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${ref}\nRUN echo built-from-own-registry > /built.txt\n`);
    const build = await cli.ok(['build', '--node', 'node-1', '-t', 'own-from:1', ctx]);
    assert.match(build, /Successfully tagged own-from:1/);
    assert.equal(await runOn('node-1', 'own-from:1', 'cat', '/built.txt'), 'built-from-own-registry\n');
  });

  test('a plain-HTTP registry on loopback is still reached, after HTTPS fails', async () => {
    await cli.ok(['login', '-u', plain.user, '--password-stdin', plain.host], `${plain.password}\n`);
    const ref = `${plain.host}/lt/plain:1`;
    await cli.ok(['tag', '--node', 'node-1', 'busybox', ref]);
    await cli.ok(['push', '--node', 'node-1', ref]);
    const pull = await cli.ok(['pull', '--node', 'edge-own', ref]);
    assert.match(pull, /^Digest: sha256:[0-9a-f]{64}$/m);
    assert.ok((await namesOn('edge-own')).includes(ref));
    assert.equal(await runOn('edge-own', ref, 'echo', 'plain'), 'plain\n');
  });

  test('lcctl login checks a token against the server registry over HTTPS with the config\'s CA; the saved login then pushes', async () => {
    const bad = await cli.expect(1, ['login', '-u', 'me', '--password-stdin', host], 'not-a-token\n');
    assert.match(bad.stderr, /incorrect username or password/);
    assert.equal(await cli.ok(['login', '-u', 'me', '--password-stdin', host], `${server.token}\n`), 'Login Succeeded\n');
    const ref = `${host}/team/login:1`;
    await cli.ok(['tag', '--node', 'node-1', 'busybox', ref]);
    await cli.ok(['push', '--node', 'node-1', ref]);
    const tags = await server.api<{ tags?: string[] }>('GET', '/v2/team/login/tags/list');
    assert.deepEqual(tags.body.tags, ['1']);
  });
});
