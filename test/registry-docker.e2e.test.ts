import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { PrivateDocker } from './harness/dockerd.js';

describe('the built-in registry with docker push and pull', () => {
  const server = new TestServer(['--no-agent']);
  const docker = new PrivateDocker();
  let registry = '';
  before(async () => {
    await server.start();
    await docker.start();
    registry = server.url.replace(/^http:\/\/127\.0\.0\.1/, 'localhost');
    docker.must(['load', '-i', busyboxArchive()]);
  });
  after(async () => { await docker.stop(); await server.stop(); });

  test('docker login takes the admin token as a password; a wrong one is refused', () => {
    const bad = docker.cli(['login', '-u', 'x', '--password-stdin', registry], 'wrong-token\n');
    assert.notEqual(bad.code, 0);
    assert.match(docker.must(['login', '-u', 'x', '--password-stdin', registry], `${server.token}\n`), /Login Succeeded/);
  });

  test('an image pushed with docker push pulls back with the same digest, and a second repository mounts its layers', async () => {
    const ref = `${registry}/library/busybox:1`;
    docker.must(['tag', 'busybox:latest', ref]);
    const pushed = docker.must(['push', ref]);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
    assert.ok(digest, pushed);
    const head = await fetch(`${server.url}/v2/library/busybox/manifests/1`, { method: 'HEAD', headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(head.headers.get('docker-content-digest'), digest);
    docker.must(['rmi', ref, 'busybox:latest']);
    docker.must(['pull', ref]);
    assert.equal(docker.must(['image', 'inspect', '--format', '{{index .RepoDigests 0}}', ref]).trim(), `${registry}/library/busybox@${digest}`);
    const other = `${registry}/team/app/x:2`;
    docker.must(['tag', ref, other]);
    assert.match(docker.must(['push', other]), /Mounted from library\/busybox/);
  });
});
