import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, type ErrorCode } from '../api/errors.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import type { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { withTestApi } from '../testing/api.js';
import type { ApiService } from './api-service.js';

/** Runs fn against the kit's ApiService over a fresh SQLite store in its own temp dir, removed afterwards. */
const withApi = (fn: (api: ApiService, store: SqliteStore) => Promise<void>): Promise<void> =>
  withTestApi(({ api, store }) => fn(api, store), { prefix: 'lantern-api-service-' });
function pod(name: string, extra: { labels?: Record<string, string>; nodeName?: string; namespace?: string } = {}): Pod {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: extra.labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  if (extra.namespace) p.metadata.namespace = extra.namespace;
  if (extra.nodeName) p.spec.nodeName = extra.nodeName;
  return p;
}
const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const isApiError = (code: ErrorCode, message?: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof ApiError, `expected an ApiError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (message) assert.match(e.message, message);
  return true;
};

describe('ApiService create', () => {
  test('sets uid, creationTimestamp, generation, resourceVersion, namespace, defaults and Pending', () => withApi(async (api) => {
    const input = pod('web');
    const created = await api.create('pods', input);
    assert.match(created.metadata.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.ok(!Number.isNaN(Date.parse(created.metadata.creationTimestamp ?? '')));
    assert.equal(created.metadata.generation, 1);
    assert.match(created.metadata.resourceVersion ?? '', /^[1-9][0-9]*$/);
    assert.equal(created.metadata.namespace, 'default');
    assert.equal(created.spec.restartPolicy, 'Always');
    assert.equal(created.spec.terminationGracePeriodSeconds, 30);
    assert.equal(created.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(created.status?.phase, 'Pending');
    assert.equal(input.metadata.uid, undefined, 'the caller\'s object is not modified');
    assert.deepEqual(await api.get('pods', 'web', 'default'), created);
  }));

  test('server-owned metadata in the request is replaced', () => withApi(async (api) => {
    const p = pod('web');
    Object.assign(p.metadata, { uid: 'mine', generation: 9, resourceVersion: '999', creationTimestamp: '2000-01-01T00:00:00Z', deletionTimestamp: '2000-01-01T00:00:00Z' });
    const created = await api.create('pods', p);
    assert.notEqual(created.metadata.uid, 'mine');
    assert.equal(created.metadata.generation, 1);
    assert.notEqual(created.metadata.resourceVersion, '999');
    assert.notEqual(created.metadata.creationTimestamp, '2000-01-01T00:00:00Z');
    assert.equal(created.metadata.deletionTimestamp, undefined);
  }));

  test('apiVersion and kind may be left out; a different kind is a BadRequest', () => withApi(async (api) => {
    const bare = { metadata: { name: 'bare' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as unknown as Pod;
    assert.equal((await api.create('pods', bare)).kind, 'Pod');
    await assert.rejects(api.create('pods', { ...pod('x'), kind: 'Node' } as unknown as Pod), isApiError('BadRequest', /kind "Node" does not match the resource "pods"/));
  }));

  test('generateName makes a unique name', () => withApi(async (api) => {
    const p = pod('');
    p.metadata.generateName = 'job-';
    const a = await api.create('pods', p);
    const b = await api.create('pods', p);
    assert.match(a.metadata.name, /^job-[0-9a-f]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
  }));

  test('a taken name is AlreadyExists; the same name in another namespace is fine', () => withApi(async (api) => {
    await api.create('pods', pod('web'));
    await assert.rejects(api.create('pods', pod('web')), isApiError('AlreadyExists', /^pod "web" already exists$/));
    await api.create('pods', pod('web', { namespace: 'other' }));
  }));

  test('an invalid object is refused with its causes and nothing is stored', () => withApi(async (api) => {
    const bad = pod('Bad_Name');
    await assert.rejects(api.create('pods', bad), (e: unknown) => {
      isApiError('Invalid', /^Pod "Bad_Name" is invalid: metadata.name: invalid name/)(e);
      assert.deepEqual((e as ApiError).details?.causes?.map((c) => c.field), ['metadata.name']);
      return true;
    });
    assert.equal((await api.list('pods')).items.length, 0);
  }));

  test('dryRun validates and defaults but stores nothing', () => withApi(async (api) => {
    const out = await api.create('pods', pod('dry'), { dryRun: true });
    assert.equal(out.spec.restartPolicy, 'Always');
    await assert.rejects(api.get('pods', 'dry', 'default'), isApiError('NotFound'));
  }));

  test('cluster-scoped kinds drop the namespace; unknown resources are NotFound', () => withApi(async (api) => {
    const n = await api.create('nodes', { ...node('n1'), metadata: { name: 'n1', namespace: 'x' } });
    assert.equal(n.metadata.namespace, undefined);
    assert.deepEqual(n.spec, {});
    assert.equal((await api.get<Node>('nodes', 'n1')).metadata.name, 'n1');
    await assert.rejects(api.list('widgets'), isApiError('NotFound', /doesn't have a resource type "widgets"/));
    await assert.rejects(api.get('pods', 'nope', 'default'), isApiError('NotFound', /^pod "nope" not found$/));
  }));
});

describe('ApiService update and updateStatus', () => {
  test('a stale resourceVersion is a Conflict; a current one succeeds', () => withApi(async (api) => {
    const created = await api.create('pods', pod('web'));
    const first = await api.update('pods', { ...created, metadata: { ...created.metadata, labels: { v: '1' } } });
    assert.notEqual(first.metadata.resourceVersion, created.metadata.resourceVersion);
    await assert.rejects(api.update('pods', { ...created, metadata: { ...created.metadata, labels: { v: '2' } } }), isApiError('Conflict', /stale resourceVersion/));
    const unconditional = await api.update('pods', { ...first, metadata: { ...first.metadata, resourceVersion: undefined, labels: { v: '3' } } });
    assert.equal(unconditional.metadata.labels?.v, '3');
  }));

  test('keeps status, uid and creationTimestamp; bumps generation only when the spec changes', () => withApi(async (api) => {
    const created = await api.create('pods', pod('web'));
    const withStatus = await api.updateStatus('pods', { ...created, status: { phase: 'Running', podIP: '10.0.0.2' } });
    const relabelled = await api.update('pods', { ...withStatus, metadata: { ...withStatus.metadata, uid: 'x', creationTimestamp: 'y', labels: { a: 'b' } }, status: { phase: 'Failed' } });
    assert.deepEqual(relabelled.status, { phase: 'Running', podIP: '10.0.0.2' });
    assert.equal(relabelled.metadata.uid, created.metadata.uid);
    assert.equal(relabelled.metadata.creationTimestamp, created.metadata.creationTimestamp);
    assert.equal(relabelled.metadata.generation, 1, 'a metadata-only change keeps the generation');
    const reimaged = await api.update('pods', { ...relabelled, spec: { ...relabelled.spec, containers: [{ ...relabelled.spec.containers[0]!, image: 'busybox:2' }] } });
    assert.equal(reimaged.metadata.generation, 2);
    assert.equal(reimaged.spec.containers[0]?.image, 'busybox:2');
  }));

  test('immutable fields are refused with Invalid', () => withApi(async (api) => {
    const created = await api.create('pods', pod('web'));
    await assert.rejects(api.update('pods', { ...created, spec: { ...created.spec, containers: [{ ...created.spec.containers[0]!, command: ['sh'] }] } }),
      isApiError('Invalid', /spec.containers: pod updates may only change containers\[\*\]\.image/));
    await assert.rejects(api.update('pods', pod('missing')), isApiError('NotFound'));
  }));

  test('updateStatus keeps the spec and checks resourceVersion and the status schema', () => withApi(async (api) => {
    const created = await api.create('pods', pod('web'));
    const changed = await api.updateStatus('pods', { ...created, spec: { ...created.spec, nodeName: 'sneaky' }, status: { phase: 'Running' } });
    assert.equal(changed.spec.nodeName, undefined);
    assert.equal(changed.status?.phase, 'Running');
    assert.equal(changed.metadata.generation, 1);
    await assert.rejects(api.updateStatus('pods', { ...created, status: { phase: 'Failed' } }), isApiError('Conflict'));
    await assert.rejects(api.updateStatus('pods', { ...changed, status: { phase: 'Exploded' } } as unknown as Pod), isApiError('Invalid', /status.phase/));
  }));
});

describe('ApiService bind', () => {
  test('sets nodeName and PodScheduled=True, and refuses a second bind', () => withApi(async (api) => {
    await api.create('pods', pod('web'));
    await api.bind('default', 'web', 'n1');
    const bound = await api.get<Pod>('pods', 'web', 'default');
    assert.equal(bound.spec.nodeName, 'n1');
    const scheduled = bound.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(scheduled?.status, 'True');
    assert.equal(bound.status?.phase, 'Pending', 'the rest of the status is kept');
    await assert.rejects(api.bind('default', 'web', 'n2'), isApiError('Conflict', /already assigned to node "n1"/));
    assert.equal((await api.get<Pod>('pods', 'web', 'default')).spec.nodeName, 'n1');
    await assert.rejects(api.bind('default', 'ghost', 'n1'), isApiError('NotFound'));
  }));
});

describe('ApiService delete', () => {
  test('an unbound pod is deleted at once', () => withApi(async (api) => {
    await api.create('pods', pod('web'));
    const gone = await api.delete<Pod>('pods', 'web', 'default');
    assert.equal(gone.metadata.name, 'web');
    await assert.rejects(api.get('pods', 'web', 'default'), isApiError('NotFound'));
    await assert.rejects(api.delete('pods', 'web', 'default'), isApiError('NotFound'));
  }));

  test('a bound pod is marked with deletionTimestamp and its grace; a second delete with grace 0 removes it', () => withApi(async (api) => {
    await api.create('pods', pod('web', { nodeName: 'n1' }));
    const before = Date.now();
    const marked = await api.delete<Pod>('pods', 'web', 'default');
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 30, 'the pod\'s terminationGracePeriodSeconds');
    assert.ok(Date.parse(marked.metadata.deletionTimestamp ?? '') >= before + 30_000);
    const stored = await api.get<Pod>('pods', 'web', 'default');
    assert.equal(stored.metadata.deletionTimestamp, marked.metadata.deletionTimestamp, 'still there until the agent is done');
    await api.delete('pods', 'web', 'default', { gracePeriodSeconds: 0 });
    await assert.rejects(api.get('pods', 'web', 'default'), isApiError('NotFound'));
  }));

  test('a bound pod that has finished is deleted at once, as in Kubernetes', () => withApi(async (api) => {
    const created = await api.create<Pod>('pods', pod('done', { nodeName: 'n1' }));
    await api.updateStatus('pods', { ...created, status: { phase: 'Succeeded' } });
    const gone = await api.delete<Pod>('pods', 'done', 'default');
    assert.equal(gone.metadata.deletionTimestamp, undefined);
    await assert.rejects(api.get('pods', 'done', 'default'), isApiError('NotFound'));
  }));

  test('the grace period comes from the request, else from the pod spec', () => withApi(async (api) => {
    const p = pod('short', { nodeName: 'n1' });
    p.spec.terminationGracePeriodSeconds = 5;
    await api.create('pods', p);
    assert.equal((await api.delete<Pod>('pods', 'short', 'default')).metadata.deletionGracePeriodSeconds, 5);
    await api.create('pods', pod('asked', { nodeName: 'n1' }));
    assert.equal((await api.delete<Pod>('pods', 'asked', 'default', { gracePeriodSeconds: 7 })).metadata.deletionGracePeriodSeconds, 7);
  }));

  test('a second delete may shorten the grace period but never lengthen it', () => withApi(async (api) => {
    await api.create('pods', pod('web', { nodeName: 'n1' }));
    await api.delete('pods', 'web', 'default', { gracePeriodSeconds: 20 });
    assert.equal((await api.delete<Pod>('pods', 'web', 'default', { gracePeriodSeconds: 60 })).metadata.deletionGracePeriodSeconds, 20);
    assert.equal((await api.delete<Pod>('pods', 'web', 'default', { gracePeriodSeconds: 5 })).metadata.deletionGracePeriodSeconds, 5);
    assert.equal((await api.delete<Pod>('pods', 'web', 'default')).metadata.deletionGracePeriodSeconds, 5);
  }));

  test('a second delete without a shorter grace does not move the deletion deadline', () => withApi(async (api, store) => {
    await api.create('pods', pod('web', { nodeName: 'n1' }));
    await api.delete('pods', 'web', 'default');
    // Make the first delete long past, so a re-stamped deadline is certain to differ.
    const key = '/registry/pods/default/web';
    const kv = (await store.get(key))!;
    const obj = JSON.parse(kv.value) as Pod;
    obj.metadata.deletionTimestamp = '2000-01-01T00:00:30.000Z';
    await store.update(key, JSON.stringify(obj), kv.modRevision);
    const again = await api.delete<Pod>('pods', 'web', 'default');
    assert.equal(again.metadata.deletionTimestamp, '2000-01-01T00:00:30.000Z',
      'BUG: api-service.ts gracefulDeletion/delete re-stamps deletionTimestamp = now + grace on every repeated delete, pushing the deadline later (Kubernetes leaves it, and only moves it earlier for a shorter grace)');
  }));

  test('nodes are deleted at once', () => withApi(async (api) => {
    await api.create('nodes', node('n1'));
    await api.delete('nodes', 'n1');
    await assert.rejects(api.get('nodes', 'n1'), isApiError('NotFound', /^node "n1" not found$/));
  }));
});

describe('ApiService list', () => {
  test('filters by namespace, label selector and field selector', () => withApi(async (api) => {
    await api.create('pods', pod('a', { labels: { app: 'web', tier: 'front' }, nodeName: 'n1' }));
    await api.create('pods', pod('b', { labels: { app: 'web' } }));
    await api.create('pods', pod('c', { labels: { app: 'db' }, nodeName: 'n1' }));
    await api.create('pods', pod('d', { labels: { app: 'web' }, namespace: 'other' }));
    const names = async (ns: string | undefined, labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
      (await api.list<Pod>('pods', ns, { labelSelector, fieldSelector })).items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    assert.deepEqual(await names(undefined), ['default/a', 'default/b', 'default/c', 'other/d']);
    assert.deepEqual(await names('default'), ['default/a', 'default/b', 'default/c']);
    assert.deepEqual(await names('other'), ['other/d']);
    assert.deepEqual(await names(undefined, 'app=web'), ['default/a', 'default/b', 'other/d']);
    assert.deepEqual(await names('default', 'app in (web,db),!tier'), ['default/b', 'default/c']);
    assert.deepEqual(await names(undefined, undefined, 'spec.nodeName=n1'), ['default/a', 'default/c']);
    assert.deepEqual(await names(undefined, undefined, 'spec.nodeName='), ['default/b', 'other/d']);
    assert.deepEqual(await names(undefined, 'app=web', 'spec.nodeName!=n1,metadata.namespace=default'), ['default/b']);
    assert.deepEqual(await names(undefined, undefined, 'status.phase=Pending'), ['default/a', 'default/b', 'default/c', 'other/d']);
  }));

  test('the list carries its kind and the store revision', () => withApi(async (api, store) => {
    await api.create('pods', pod('a'));
    const list = await api.list('pods');
    assert.equal(list.kind, 'PodList');
    assert.equal(list.apiVersion, 'v1');
    assert.equal(list.metadata.resourceVersion, String(await store.currentRevision()));
  }));

  test('an unsupported field selector is a BadRequest naming the supported ones', () => withApi(async (api) => {
    await assert.rejects(api.list('pods', undefined, { fieldSelector: 'spec.hostname=x' }),
      isApiError('BadRequest', /field selector "spec.hostname" is not supported for pods; supported: metadata.name, metadata.namespace, spec.nodeName, spec.schedulerName, status.phase/));
    await assert.rejects(api.list('nodes', undefined, { fieldSelector: 'spec.nodeName=x' }), isApiError('BadRequest', /supported: metadata.name, spec.unschedulable/));
    await assert.rejects(api.list('pods', undefined, { labelSelector: 'a in b' }), isApiError('BadRequest', /invalid selector term/));
  }));

  test('nodes select on spec.unschedulable', () => withApi(async (api) => {
    await api.create('nodes', node('n1'));
    await api.create('nodes', { ...node('n2'), spec: { unschedulable: true } });
    const list = await api.list<Node>('nodes', undefined, { fieldSelector: 'spec.unschedulable=false' });
    assert.deepEqual(list.items.map((n) => n.metadata.name), ['n1']);
  }));
});
