import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import type { ConfigMap } from '../../api/schema/config.js';
import { eventually } from '../../testing/eventually.js';
import { withTestApi } from '../../testing/api.js';
import { ConfigCache } from './config-cache.js';

const pod = (uid: string, configMap: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${uid}`, namespace: 'default', uid },
  spec: { containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: configMap } }] }] },
});
const cm = (name: string, data: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data } as ConfigMap);
const quiet = (): undefined => undefined;

describe('the config cache: referenced ConfigMaps from a watch, not a read per start', () => {
  test('a referenced object is read from the watch; a change wakes the pod and is seen; a missing one is NotFound until it appears', () => withTestApi(async ({ api }) => {
    await api.create('configmaps', cm('app', { mode: 'fast' }));
    const cache = new ConfigCache({ api, log: quiet });
    let wakes = 0;
    try {
      cache.track(pod('u1', 'app'), () => { wakes++; });
      assert.deepEqual((await cache.get<ConfigMap & ApiObject>('configmaps', 'app', 'default')).data, { mode: 'fast' });
      const before = wakes;
      await api.update('configmaps', { ...await api.get<ConfigMap & ApiObject>('configmaps', 'app', 'default'), data: { mode: 'slow' } });
      await eventually('the change to wake the pod', () => wakes > before);
      assert.deepEqual((await cache.get<ConfigMap & ApiObject>('configmaps', 'app', 'default')).data, { mode: 'slow' });

      cache.track(pod('u2', 'late'), () => { wakes++; });
      await assert.rejects(cache.get('configmaps', 'late', 'default'), (e: unknown) => e instanceof ApiError && e.code === 'NotFound');
      const waiting = wakes;
      await api.create('configmaps', cm('late', { k: 'v' }));
      await eventually('the new object to wake the pod', () => wakes > waiting);
      assert.deepEqual((await cache.get<ConfigMap & ApiObject>('configmaps', 'late', 'default')).data, { k: 'v' });
    } finally { cache.stop(); }
  }));

  test('once no pod references it, the object is no longer followed (read from the API instead)', () => withTestApi(async ({ api }) => {
    await api.create('configmaps', cm('app', { a: '1' }));
    let gets = 0;
    const counting = { ...api, list: api.list.bind(api), watch: api.watch.bind(api), get: <T extends ApiObject>(r: string, n: string, ns?: string) => { gets++; return api.get<T>(r, n, ns); } } as typeof api;
    const cache = new ConfigCache({ api: counting, log: quiet });
    try {
      cache.track(pod('u1', 'app'), quiet);
      await cache.get('configmaps', 'app', 'default');
      await cache.get('configmaps', 'app', 'default');
      assert.equal(gets, 0, 'followed objects come from the watch');
      cache.untrack('u1');
      await cache.get('configmaps', 'app', 'default');
      assert.equal(gets, 1);
    } finally { cache.stop(); }
  }));
});
