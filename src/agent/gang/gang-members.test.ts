import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { containerHosts } from '../../runtime/runc/etc-files.js';
import { groupMembers, memberRank, resolveGang, worldSize, type GangConfig } from './gang-members.js';

interface Opts { ip?: string; node?: string; index?: number; hostname?: string; min?: number; group?: string; phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed'; deleting?: boolean; port?: string; ns?: string }

function member(name: string, o: Opts = {}): Pod {
  const annotations: Record<string, string> = { 'scheduling.lantern.dev/group': o.group ?? 'train' };
  if (o.min !== undefined) annotations['scheduling.lantern.dev/group-min-available'] = String(o.min);
  if (o.index !== undefined) annotations['batch.kubernetes.io/job-completion-index'] = String(o.index);
  if (o.port !== undefined) annotations['scheduling.lantern.dev/master-port'] = o.port;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: o.ns ?? 'default', uid: `uid-${name}`, annotations, ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(o.hostname ? { hostname: o.hostname } : {}), ...(o.node !== undefined || o.ip ? { nodeName: o.node ?? 'n1' } : {}) },
    status: { phase: o.phase ?? 'Pending', ...(o.ip ? { podIP: o.ip } : {}) },
  };
}

const configOf = (r: ReturnType<typeof resolveGang>): GangConfig => {
  assert.ok('config' in r, `expected a config, got ${JSON.stringify(r)}`);
  return r.config;
};

describe('WORLD_SIZE', () => {
  test('the min-available annotation (a Job\'s minAvailable) wins, then the PodGroup\'s minMember, then the member count', () => {
    assert.equal(worldSize(member('a', { min: 4 }), 8, 2), 4);
    assert.equal(worldSize(member('a'), 3, 5), 3);
    assert.equal(worldSize(member('a'), undefined, 5), 5);
  });
});

describe('RANK', () => {
  test('the completion index of an Indexed Job\'s pod, whatever its name', () => {
    const pods = [member('z', { index: 0 }), member('a', { index: 2 })];
    assert.equal(memberRank(pods[0]!, groupMembers(pods[0]!, pods)), 0);
    assert.equal(memberRank(pods[1]!, groupMembers(pods[1]!, pods)), 2);
  });

  test('else the position among the group\'s members sorted by name; other groups, namespaces, deleted and failed pods do not count', () => {
    const self = member('train-b');
    const pods = [member('train-c'), member('train-a'), member('other', { group: 'x' }), member('aaa', { ns: 'team' }), member('train-0', { deleting: true }), member('train-1', { phase: 'Failed' }), self];
    const members = groupMembers(self, pods);
    assert.deepEqual(members.map((p) => p.metadata.name), ['train-a', 'train-b', 'train-c']);
    assert.equal(memberRank(self, members), 1);
  });
});

describe('resolveGang', () => {
  test('waits, naming how many of the group still lack an address, until minMember members are bound with a pod IP', () => {
    const self = member('w-0', { min: 4 });
    const pods = [self, member('w-1', { min: 4, ip: '10.0.0.2' }), member('w-2', { min: 4 }), member('w-3', { min: 4, node: 'n2' })];
    assert.deepEqual(resolveGang(self, '10.0.0.1', pods, undefined), { waiting: 'waiting for 2 of 4 members of group train to get addresses' });
  });

  test('an Indexed gang waits for rank 0 even when enough other members have addresses', () => {
    const self = member('j-1-x', { index: 1, min: 2 });
    const pods = [self, member('j-2-y', { index: 2, min: 2, ip: '10.0.0.3' }), member('j-0-z', { index: 0, min: 2 })];
    assert.ok('waiting' in resolveGang(self, '10.0.0.2', pods, undefined));
  });

  test('gives RANK, WORLD_SIZE, MASTER_ADDR (rank 0\'s hostname), MASTER_PORT and an /etc/hosts line per member', () => {
    const self = member('job-1-bbbbb', { index: 1, min: 3, hostname: 'job-1' });
    const pods = [
      member('job-0-aaaaa', { index: 0, min: 3, hostname: 'job-0', ip: '10.88.0.10', phase: 'Succeeded' }),
      self,
      member('job-2-ccccc', { index: 2, min: 3, hostname: 'job-2', ip: '10.88.1.7', node: 'n2' }),
    ];
    const c = configOf(resolveGang(self, '10.88.0.11', pods, undefined));
    assert.deepEqual(c.env, { WORLD_SIZE: '3', RANK: '1', MASTER_ADDR: 'job-0', MASTER_PORT: '29500' });
    const hosts = containerHosts({ hostname: 'job-1', hostNetwork: false, extraHosts: c.hosts }).split('\n');
    assert.equal(hosts[0], '127.0.0.1\tlocalhost', 'the loopback names come first (runc/etc-files.test.ts checks them all)');
    assert.deepEqual(hosts.slice(hosts.indexOf('ff02::2\tip6-allrouters') + 1), [
      '10.88.0.11\tjob-1',
      '10.88.0.10\tjob-0',
      '10.88.1.7\tjob-2',
      '',
    ], 'its own hostname points at its pod IP, not 127.0.1.1; then one line per member');
  });

  test('a PodGroup\'s minMember sizes the world; pods without a hostname are known by name; the master-port annotation sets MASTER_PORT', () => {
    const self = member('pg-c', { port: '1234' });
    const pods = [member('pg-a', { ip: '10.0.0.1' }), member('pg-b', { ip: '10.0.0.2' }), self, member('pg-d')];
    const c = configOf(resolveGang(self, '10.0.0.3', pods, 3));
    assert.deepEqual(c.env, { WORLD_SIZE: '3', RANK: '2', MASTER_ADDR: 'pg-a', MASTER_PORT: '1234' });
    assert.deepEqual(c.hosts, [{ ip: '10.0.0.3', names: ['pg-c'] }, { ip: '10.0.0.1', names: ['pg-a'] }, { ip: '10.0.0.2', names: ['pg-b'] }]);
  });

  test('a stored podIP that is not an IP address, or a hostname /etc/hosts cannot carry, never becomes a line of /etc/hosts', () => {
    const self = member('job-0', { index: 0 });
    const forged = member('job-1', { index: 1, ip: '10.88.0.11\n6.6.6.6 pypi.org files.pythonhosted.org' });
    const waiting = resolveGang(self, '10.88.0.10', [self, forged], 2);
    assert.deepEqual(waiting, { waiting: 'waiting for 1 of 2 members of group train to get addresses' }, 'a member with a forged IP counts as having none');
    const odd = member('job-2', { index: 1, ip: '10.88.0.12', hostname: 'x 6.6.6.6 pypi.org' });
    const c = configOf(resolveGang(self, '10.88.0.10', [self, forged, odd], 2));
    assert.deepEqual(c.hosts, [{ ip: '10.88.0.10', names: ['job-0'] }], 'the member whose hostname has a space gets no line');
    assert.doesNotMatch(containerHosts({ hostname: 'job-0', hostNetwork: false, extraHosts: c.hosts }), /pypi|6\.6\.6\.6/);
  });

  test('without a size anywhere, every member counts: it waits for all of them', () => {
    const self = member('x-a');
    const r = resolveGang(self, '10.0.0.1', [self, member('x-b', { ip: '10.0.0.2' }), member('x-c')], undefined);
    assert.deepEqual(r, { waiting: 'waiting for 1 of 3 members of group train to get addresses' });
  });
});
