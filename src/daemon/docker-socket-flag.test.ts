import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { serverConfigFromArgs } from './server-config.js';
import { startOrder } from './components/resolve.js';
import { serverBuiltins } from './components/server-builtins.js';

const parse = (args: string[]): ReturnType<typeof serverConfigFromArgs> => serverConfigFromArgs(['--data-dir', '/tmp/lantern-k2-flag', ...args], {});

describe('lanternd server --docker-socket', () => {
  test('off by default; on, the Docker API starts after this machine\'s node', () => {
    const off = parse([]);
    assert.equal(off?.dockerSocket, undefined);
    assert.ok(!startOrder(serverBuiltins, off!).some((c) => c.key.id === 'docker-api'));
    const on = parse(['--docker-socket', 'run/docker.sock']);
    assert.equal(on?.dockerSocket, `${process.cwd()}/run/docker.sock`);
    const ids = startOrder(serverBuiltins, on!).map((c) => c.key.id);
    assert.ok(ids.indexOf('docker-api') > ids.indexOf('node'));
  });

  test('a missing path, a path too long for a socket, or --no-agent is refused before anything starts', () => {
    assert.throws(() => parse(['--docker-socket', '']), /--docker-socket: name a unix socket path/);
    assert.throws(() => parse(['--docker-socket', `/tmp/${'x'.repeat(120)}`]), /longer than the 107 bytes/);
    assert.throws(() => parse(['--docker-socket', '/run/d.sock', '--no-agent']), /cannot be used with --no-agent/);
  });
});
