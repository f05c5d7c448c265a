import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import type { Pod } from '../api/pod.js';
import type { PriorityClass } from '../api/schema/priority-class.js';
import type { Event } from '../api/schema/event.js';
import { withTestApi } from '../testing/api.js';
import type { ApiService } from './api-service.js';
import { ensureSystemPriorityClasses } from './system-priority-classes.js';

const withApi = (fn: (api: ApiService) => Promise<void>): Promise<void> => withTestApi(({ api }) => fn(api), { prefix: 'lantern-priority-' });
const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass =>
  ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
const pod = (name: string, spec: Partial<Pod['spec']> = {}): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
const invalidOn = (field: string, message?: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof ApiError, String(e));
  assert.equal(e.code, 'Invalid', e.message);
  assert.ok(e.message.includes(field), e.message);
  if (message) assert.match(e.message, message);
  return true;
};

describe('PriorityClass kind', () => {
  test('is cluster-scoped, defaults preemptionPolicy and globalDefault', () => withApi(async (api) => {
    const created = await api.create('priorityclasses', { ...pc('high', 1000), metadata: { name: 'high', namespace: 'x' } });
    assert.equal(created.metadata.namespace, undefined);
    assert.equal(created.preemptionPolicy, 'PreemptLowerPriority');
    assert.equal(created.globalDefault, false);
    assert.equal((await api.list<PriorityClass>('priorityclasses')).items.length, 1);
  }));

  test('the server stores the built-in classes once; they are listed, and deleting or changing them is Forbidden', () => withApi(async (api) => {
    assert.deepEqual(await ensureSystemPriorityClasses(api), ['system-cluster-critical', 'system-node-critical']);
    assert.deepEqual(await ensureSystemPriorityClasses(api), [], 'a restart finds them stored');
    const listed = (await api.list<PriorityClass>('priorityclasses')).items;
    assert.deepEqual(listed.map((c) => [c.metadata.name, c.value, c.globalDefault, c.preemptionPolicy]), [
      ['system-cluster-critical', 2_000_000_000, false, 'PreemptLowerPriority'],
      ['system-node-critical', 2_000_001_000, false, 'PreemptLowerPriority'],
    ]);
    assert.equal(listed[1]?.description, 'Used for system critical pods that must not be moved from their current node.');
    const forbidden = (what: RegExp) => (e: unknown): boolean => {
      assert.ok(e instanceof ApiError, String(e));
      assert.equal(e.code, 'Forbidden', e.message);
      assert.equal(e.status, 403);
      assert.match(e.message, /priorityclasses\.scheduling\.k8s\.io "system-node-critical" is forbidden: this is a system priority class/);
      assert.match(e.message, what);
      return true;
    };
    await assert.rejects(api.delete('priorityclasses', 'system-node-critical'), forbidden(/cannot be deleted/));
    const stored = await api.get<PriorityClass>('priorityclasses', 'system-node-critical');
    await assert.rejects(api.update('priorityclasses', { ...stored, value: 5 }), forbidden(/value.*cannot be changed/));
    await assert.rejects(api.update('priorityclasses', { ...stored, globalDefault: true }), forbidden(/cannot be changed/));
    await assert.rejects(api.update('priorityclasses', { ...stored, description: 'mine' }), forbidden(/cannot be changed/));
    // Labels may change, as in Kubernetes; the class itself stays.
    const labelled = await api.update<PriorityClass>('priorityclasses', { ...stored, metadata: { ...stored.metadata, labels: { team: 'ops' } } });
    assert.equal(labelled.value, 2_000_001_000);
    assert.equal((await api.list('priorityclasses')).items.length, 2);
    // Admission still resolves them to their value.
    assert.equal((await api.create('pods', pod('critical', { priorityClassName: 'system-node-critical' }))).spec.priority, 2_000_001_000);
    // A user class may still be deleted.
    await api.create('priorityclasses', pc('mine', 10));
    await api.delete('priorityclasses', 'mine');
  }));

  test('rejects values above 1e9, system- names, a bad preemptionPolicy and a changed value', () => withApi(async (api) => {
    await assert.rejects(api.create('priorityclasses', pc('huge', 1_000_000_001)), invalidOn('value'));
    await assert.rejects(api.create('priorityclasses', pc('system-mine', 1)), invalidOn('metadata.name', /reserved/));
    await assert.rejects(api.create('priorityclasses', { ...pc('p', 1), preemptionPolicy: 'Sometimes' } as unknown as PriorityClass), (e: unknown) => e instanceof ApiError && e.code === 'Invalid');
    const stored = await api.create('priorityclasses', pc('p', 1));
    await assert.rejects(api.update('priorityclasses', { ...stored, value: 2 }), invalidOn('value', /immutable/));
    await api.update('priorityclasses', { ...stored, description: 'now described' });
  }));

  test('only one class may be the global default', () => withApi(async (api) => {
    await api.create('priorityclasses', pc('a', 1, { globalDefault: true }));
    await assert.rejects(api.create('priorityclasses', pc('b', 2, { globalDefault: true })), invalidOn('globalDefault', /already marked as default/));
  }));
});

describe('Event kind', () => {
  test('is namespaced, needs involvedObject.name, defaults type and count, selectable by involvedObject', () => withApi(async (api) => {
    const ev = (name: string, objName: string): Event => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: objName, namespace: 'default' }, reason: 'Started', message: 'm' });
    const created = await api.create('events', ev('e1', 'web'));
    assert.equal(created.metadata.namespace, 'default');
    assert.equal(created.type, 'Normal');
    assert.equal(created.count, 1);
    await api.create('events', ev('e2', 'db'));
    await assert.rejects(api.create('events', ev('e3', '')), invalidOn('involvedObject.name'));
    await assert.rejects(api.create('events', { ...ev('e4', 'x'), type: 'Fatal' } as unknown as Event), (e: unknown) => e instanceof ApiError && e.code === 'Invalid');
    const forWeb = await api.list<Event>('events', 'default', { fieldSelector: 'involvedObject.name=web,involvedObject.kind=Pod' });
    assert.deepEqual(forWeb.items.map((e) => e.metadata.name), ['e1']);
  }));
});

describe('pod priority admission', () => {
  test('priorityClassName becomes spec.priority', () => withApi(async (api) => {
    await api.create('priorityclasses', pc('high', 1000));
    const p = await api.create('pods', pod('web', { priorityClassName: 'high' }));
    assert.equal(p.spec.priority, 1000);
  }));

  test('the built-in system classes exist without being created', () => withApi(async (api) => {
    assert.equal((await api.create('pods', pod('a', { priorityClassName: 'system-cluster-critical' }))).spec.priority, 2_000_000_000);
    assert.equal((await api.create('pods', pod('b', { priorityClassName: 'system-node-critical' }))).spec.priority, 2_000_001_000);
  }));

  test('an unknown class is Invalid on spec.priorityClassName, and nothing is stored', () => withApi(async (api) => {
    await assert.rejects(api.create('pods', pod('web', { priorityClassName: 'nope' })), invalidOn('spec.priorityClassName', /no PriorityClass with name nope/));
    assert.equal((await api.list('pods')).items.length, 0);
  }));

  test('the globalDefault class applies when none is named; without one priority is 0', () => withApi(async (api) => {
    assert.equal((await api.create('pods', pod('before'))).spec.priority, 0);
    await api.create('priorityclasses', pc('normal', 50, { globalDefault: true }));
    const p = await api.create('pods', pod('after'));
    assert.equal(p.spec.priority, 50);
    assert.equal(p.spec.priorityClassName, 'normal');
    assert.equal((await api.create('pods', pod('named', { priorityClassName: 'system-node-critical' }))).spec.priority, 2_000_001_000);
  }));

  test('an explicit priority that disagrees with the class is Invalid; an equal one is accepted', () => withApi(async (api) => {
    await api.create('priorityclasses', pc('high', 1000));
    await assert.rejects(api.create('pods', pod('web', { priorityClassName: 'high', priority: 5 })), invalidOn('spec.priority'));
    assert.equal((await api.create('pods', pod('ok', { priorityClassName: 'high', priority: 1000 }))).spec.priority, 1000);
  }));

  test('an update keeps the resolved priority', () => withApi(async (api) => {
    await api.create('priorityclasses', pc('high', 1000));
    const p = await api.create('pods', pod('web', { priorityClassName: 'high' }));
    const { priority: _p, ...spec } = p.spec;
    const updated = await api.update<Pod>('pods', { ...p, metadata: { ...p.metadata, labels: { a: 'b' } }, spec });
    assert.equal(updated.spec.priority, 1000);
  }));
});
