/** The scheduler's watches restart: after a broken watch or a 410 Gone it still sees what happens, and its cache is right again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiObject, WatchEvent } from '../api/meta.js';
import type { Node } from '../api/node.js';
import type { Pod } from '../api/pod.js';
import { ApiError } from '../api/errors.js';
import type { ApiClient, Watcher } from '../client/types.js';
import { withTestApi } from '../testing/api.js';
import { ManualClock, settle } from '../testing/clock.js';
import { eventually } from '../testing/eventually.js';
import { Scheduler } from './scheduler.js';
import { defaultProfile } from './profile.js';

/** The API whose open watches end with `error` when cut() is called, as a dropped connection or an expired revision would. */
function cuttable(api: ApiClient): { api: ApiClient; cut: (error: Error) => void } {
  const open = new Set<(e: Error) => void>();
  const out: ApiClient = Object.create(api) as ApiClient;
  out.watch = <T extends ApiObject>(resource: string, ns: string | undefined, opts: Parameters<ApiClient['watch']>[2], onEvent: (e: WatchEvent<T>) => void): Watcher => {
    const inner = api.watch<T>(resource, ns, opts, onEvent);
    const cut = new Promise<void>((_, reject) => open.add((e) => { reject(e); inner.stop(); }));
    return { stop: () => inner.stop(), done: Promise.race([inner.done, cut]) };
  };
  return { api: out, cut: (e) => { for (const end of open) end(e); open.clear(); } };
}

const node = async (api: ApiClient, name: string): Promise<void> => {
  const n = await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  const allocatable = { cpu: '4', memory: '8Gi', pods: '110' };
  await api.updateStatus<Node>('nodes', { ...n, status: { capacity: allocatable, allocatable } });
};
const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
const boundTo = (api: ApiClient, name: string) => async (): Promise<string | undefined> => (await api.get<Pod>('pods', name, 'default')).spec.nodeName;

/** A scheduler over the cuttable API with a manual clock (so the restart back-off is ours to pass). */
async function withScheduler(fn: (c: { api: ApiClient; cut: (e: Error) => void; clock: ManualClock }) => Promise<void>): Promise<void> {
  await withTestApi(async ({ api }) => {
    const c = cuttable(api);
    const clock = new ManualClock();
    const scheduler = new Scheduler(c.api, defaultProfile, {}, { clock });
    try {
      await scheduler.start();
      await fn({ api, cut: c.cut, clock });
    } finally { scheduler.stop(); }
  });
}

test('a broken watch is watched again: a pod created afterwards is still bound', () => withScheduler(async ({ api, cut, clock }) => {
  await node(api, 'n1');
  await api.create('pods', pod('before'));
  assert.equal(await eventually('before bound', boundTo(api, 'before')), 'n1');
  cut(new ApiError('Unavailable', 'connection reset by peer'));
  await settle(); // the informers see the break and arm their retries
  await clock.advanceAsync(1000); // the first back-off
  await api.create('pods', pod('after'));
  assert.equal(await eventually('after bound', boundTo(api, 'after')), 'n1');
}));

test('410 Gone lists again and rebuilds the cache: a node deleted meanwhile is forgotten, one added is used', () => withScheduler(async ({ api, cut, clock }) => {
  await node(api, 'old');
  await api.create('pods', pod('first'));
  assert.equal(await eventually('first bound', boundTo(api, 'first')), 'old');
  cut(new ApiError('Gone', 'too old resource version'));
  // While nothing is watched: the node goes, another comes. Only a fresh list tells the scheduler.
  await api.delete('nodes', 'old');
  await node(api, 'new');
  await clock.advanceAsync(1000); // the first back-off
  await api.create('pods', pod('second'));
  assert.equal(await eventually('second bound', boundTo(api, 'second')), 'new');
}));
