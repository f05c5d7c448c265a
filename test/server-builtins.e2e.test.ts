/**
 * What a fresh `lanternd server` provides without being asked: the built-in priority classes, and
 * the --event-ttl flag of its event sweeper.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TestServer, lanterndBin } from './harness/lanternd.js';

describe('lanternd server built-ins', () => {
  const server = new TestServer(['--no-agent', '--event-ttl', '30m']);
  before(async () => { await server.start(); });
  after(async () => { await server.stop(); });

  test('lcctl get pc lists the system classes; deleting one is Forbidden and it stays', async () => {
    const got = await server.lcctl(['get', 'pc']);
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stdout, /^system-cluster-critical\s+2000000000\s+false\s/m);
    assert.match(got.stdout, /^system-node-critical\s+2000001000\s+false\s/m);

    const del = await server.lcctl(['delete', 'pc', 'system-node-critical']);
    assert.notEqual(del.code, 0);
    assert.match(del.stderr, /Error from server \(Forbidden\): .*"system-node-critical" is forbidden: this is a system priority class and cannot be deleted/);
    const listed = await server.api<{ items: { metadata: { name: string } }[] }>('GET', '/apis/scheduling.k8s.io/v1/priorityclasses');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items.map((c) => c.metadata.name), ['system-cluster-critical', 'system-node-critical']);
  });

  test('--event-ttl is documented in --help and a bad value is refused with what is expected', () => {
    const help = spawnSync(lanterndBin, ['server', '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /--event-ttl D\s+events are deleted .*\(default 1h\)/);
    const bad = spawnSync(lanterndBin, ['server', '--event-ttl', 'soon', '--data-dir', server.dataDir], { encoding: 'utf8' });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /invalid value "soon" for --event-ttl: expected a duration such as 10s/);
  });
});
