import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { IMember } from 'etcd3';
import { eventually } from '../../testing/eventually.js';
import { serverConfigFromArgs } from '../server-config.js';
import { addLearner, promoteWhenReady, type ClusterApi } from './members.js';
import { formatServerToken, parseServerToken } from './server-token.js';
import { parseServerJoin } from './join-route.js';
import { Supervisor } from './supervisor.js';

const hash = 'a'.repeat(64);
const token = formatServerToken({ caHash: hash, secret: 'lt-admin-0123456789abcdef' });
const parse = (args: string[]): ReturnType<typeof serverConfigFromArgs> => serverConfigFromArgs(['--data-dir', '/tmp/h2-flags', '--no-agent', ...args], {});

describe('lanternd server --cluster-init / --server --token', () => {
  test('--cluster-init runs a member and points the store at it over TLS from the cluster CA', () => {
    const c = parse(['--cluster-init', '--listen', '10.0.0.5:6443', '--etcd-client-port', '27379'])!;
    assert.equal(c.embeddedEtcd?.mode, 'init');
    assert.equal(c.embeddedEtcd?.advertiseAddress, '10.0.0.5');
    assert.deepEqual(c.datastore?.etcd?.endpoints, ['https://127.0.0.1:27379']);
    assert.equal(c.datastore?.etcd?.cafile, '/tmp/h2-flags/pki/ca.crt');
  });
  test('--server URL --token T joins; mistakes name the flag and what is expected', () => {
    const c = parse(['--server', 'https://10.0.0.5:6443', '--token', token])!;
    assert.equal(c.embeddedEtcd?.mode, 'join');
    assert.equal(c.embeddedEtcd?.token?.secret, 'lt-admin-0123456789abcdef');
    assert.throws(() => parse(['--server', 'https://10.0.0.5:6443']), /--server needs --token/);
    assert.throws(() => parse(['--server', 'http://10.0.0.5:6443', '--token', token]), /--server: .*HTTPS/);
    assert.throws(() => parse(['--server', 'https://10.0.0.5:6443', '--token', 'K10::node:x']), /--token: the server token is malformed/);
    assert.throws(() => parse(['--cluster-init', '--server', 'https://a:1', '--token', token]), /exclude each other/);
    assert.throws(() => parse(['--cluster-init', '--datastore-endpoint', 'http://e:2379']), /exclude each other/);
    assert.throws(() => parse(['--cluster-init', '--etcd-peer-port', 'x']), /--etcd-peer-port: expected a port/);
    assert.throws(() => parse(['--etcd-client-port', '2379']), /only applies with --cluster-init/);
    assert.equal(parse([])!.embeddedEtcd, undefined, 'without the flags: no etcd, SQLite as before');
  });
  test('the server token pins the CA hash and carries the secret', () => {
    assert.deepEqual(parseServerToken(token), { caHash: hash, secret: 'lt-admin-0123456789abcdef' });
    assert.throws(() => parseServerToken(`K10${hash}::node:abc`), /server token is malformed/);
  });
  test('a join body is checked field by field', () => {
    assert.deepEqual(parseServerJoin({ name: 'h2-a', peerURL: 'https://10.0.0.2:2380' }), { name: 'h2-a', peerURL: 'https://10.0.0.2:2380' });
    assert.throws(() => parseServerJoin({ name: 'H2 A', peerURL: 'https://10.0.0.2:2380' }), /name: .* is not a member name/);
    assert.throws(() => parseServerJoin({ name: 'a', peerURL: 'http://10.0.0.2:2380' }), /peerURL: .* is not an etcd peer URL/);
    assert.throws(() => parseServerJoin([]), /must be an object/);
  });
});

/** A fake cluster: members by id, as etcd's membership API answers. */
class FakeCluster implements ClusterApi {
  members: IMember[] = [{ ID: '1', name: 'first', peerURLs: ['https://10.0.0.1:2380'], clientURLs: [], isLearner: false }];
  promoteFailures = 2;
  private next = 2;
  memberList(): Promise<{ members: IMember[] }> { return Promise.resolve({ members: [...this.members] }); }
  memberAdd(req: { peerURLs: string[]; isLearner: boolean }): Promise<{ member: IMember; members: IMember[] }> {
    const member: IMember = { ID: String(this.next++), name: '', peerURLs: req.peerURLs, clientURLs: [], isLearner: req.isLearner };
    this.members.push(member);
    return Promise.resolve({ member, members: [...this.members] });
  }
  memberRemove(req: { ID: string }): Promise<unknown> { this.members = this.members.filter((m) => m.ID !== req.ID); return Promise.resolve({}); }
  memberPromote(req: { ID: string }): Promise<unknown> {
    if (this.promoteFailures-- > 0) return Promise.reject(new Error('etcdserver: can only promote a learner member which is in sync with leader'));
    const m = this.members.find((x) => x.ID === req.ID);
    if (m) m.isLearner = false;
    return Promise.resolve({});
  }
}

describe('member add', () => {
  test('adds a learner and gives --initial-cluster as etcdctl prints it; promotes it once etcd lets it', async () => {
    const c = new FakeCluster();
    const added = await addLearner(c, 'second', 'https://10.0.0.2:2380');
    assert.equal(added.initialCluster, 'first=https://10.0.0.1:2380,second=https://10.0.0.2:2380');
    assert.equal(c.members.find((m) => m.ID === added.id)?.isLearner, true, 'a learner: the cluster keeps its quorum while it catches up');
    await promoteWhenReady(c, added.id, 10_000);
    assert.equal(c.members.find((m) => m.ID === added.id)?.isLearner, false);
  });
  test('a join retried after a failed start replaces the member that never started; a running one at that address is refused', async () => {
    const c = new FakeCluster();
    const first = await addLearner(c, 'second', 'https://10.0.0.2:2380');
    const again = await addLearner(c, 'second', 'https://10.0.0.2:2380');
    assert.notEqual(again.id, first.id);
    assert.equal(c.members.length, 2, 'the stale member was removed, not left to count against the quorum');
    await assert.rejects(addLearner(c, 'other', 'https://10.0.0.1:2380'), /already has member first .*etcdctl member remove 1/);
  });
});

describe('the supervisor', () => {
  const s = new Supervisor({ command: 'sleep', args: ['300'], minBackoffMs: 50, maxBackoffMs: 200 });
  after(() => s.stop());
  test('starts its process again after it is killed, and stop() ends it for good', async () => {
    s.start();
    const first = await eventually('the child to run', () => s.pid, { timeoutMs: 10_000 });
    process.kill(first, 'SIGKILL');
    const second = await eventually('the child to run again', () => (s.pid !== undefined && s.pid !== first ? s.pid : undefined), { timeoutMs: 10_000 });
    assert.equal(s.restarts, 1);
    await s.stop();
    assert.equal(s.pid, undefined);
    assert.throws(() => process.kill(second, 0), /ESRCH/, 'the child is gone');
  });
});
