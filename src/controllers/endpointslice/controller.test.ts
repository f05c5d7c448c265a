import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { Service } from '../../api/schema/service.js';
import type { EndpointSlice } from '../../api/schema/endpoint-slice.js';
import type { ApiClient } from '../../client/types.js';
import { withTestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { eventually } from '../../testing/eventually.js';
import { EndpointSliceController } from './controller.js';

const service = (name: string, selector: Record<string, string>, ports: Service['spec']['ports'] = [{ name: 'http', port: 80, targetPort: 'web' }]): Service =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports } });

/** A pod on node n1 with IP ip, Ready or not, serving containerPort 8080 named "web". */
async function runningPod(api: ApiClient, name: string, ip: string, ready: boolean, labels = { app: 'web' }): Promise<Pod> {
  const pod = await api.create<Pod>('pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'web', containerPort: 8080 }] }] },
  });
  return setReady(api, pod, ip, ready);
}
async function setReady(api: ApiClient, pod: Pod, ip: string, ready: boolean): Promise<Pod> {
  const fresh = await api.get<Pod>('pods', pod.metadata.name, 'default');
  return api.updateStatus<Pod>('pods', { ...fresh, status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
}
const slicesOf = async (api: ApiClient, svc: string): Promise<EndpointSlice[]> =>
  (await api.list<EndpointSlice>('endpointslices', 'default', { labelSelector: `kubernetes.io/service-name=${svc}` })).items;
const readyIPs = (slices: EndpointSlice[]): string[] =>
  slices.flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready === true).flatMap((e) => e.addresses)).sort();

describe('EndpointSlice controller', () => {
  test('a slice of the selected pods: ready from the Ready condition, port resolved from the named targetPort, owned by the Service', () => withTestApi(async ({ api }) => {
    await runningPod(api, 'a', '10.42.0.5', true);
    await runningPod(api, 'b', '10.42.0.6', false);
    await runningPod(api, 'other', '10.42.0.7', true, { app: 'db' });
    const svc = await api.create<Service>('services', service('web', { app: 'web' }));
    const c = new EndpointSliceController({ api, clock: new ManualClock() });
    await c.reconcile('default/web');
    const [slice, extra] = await slicesOf(api, 'web');
    assert.ok(slice);
    assert.equal(extra, undefined);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
    assert.deepEqual(slice.endpoints.map((e) => [e.addresses[0], e.conditions, e.nodeName, e.targetRef?.name]), [
      ['10.42.0.5', { ready: true, serving: true, terminating: false }, 'n1', 'a'],
      ['10.42.0.6', { ready: false, serving: false, terminating: false }, 'n1', 'b'],
    ]);
    assert.equal(slice.metadata.ownerReferences?.[0]?.uid, svc.metadata.uid);
    // Nothing changed: a second pass writes nothing.
    const rv = slice.metadata.resourceVersion;
    await c.reconcile('default/web');
    assert.equal((await slicesOf(api, 'web'))[0]?.metadata.resourceVersion, rv);
  }));

  test('a Service selecting nothing keeps one empty slice; a Service without selector gets none', () => withTestApi(async ({ api }) => {
    await api.create('services', service('lonely', { app: 'nobody' }, [{ port: 80 }]));
    await api.create('services', { ...service('manual', {}, [{ port: 80 }]), spec: { ports: [{ port: 80 }] } });
    const c = new EndpointSliceController({ api, clock: new ManualClock() });
    await c.reconcile('default/lonely');
    await c.reconcile('default/manual');
    const lonely = await slicesOf(api, 'lonely');
    assert.equal(lonely.length, 1);
    assert.deepEqual(lonely[0]?.endpoints, []);
    assert.deepEqual(await slicesOf(api, 'manual'), []);
  }));

  test('more than 100 endpoints are split into slices of at most 100', () => withTestApi(async ({ api }) => {
    await Promise.all(Array.from({ length: 130 }, (_, i) => runningPod(api, `p${i}`, `10.42.${Math.floor(i / 200)}.${(i % 200) + 10}`, true)));
    await api.create('services', service('big', { app: 'web' }));
    const c = new EndpointSliceController({ api, clock: new ManualClock() });
    await c.reconcile('default/big');
    const slices = await slicesOf(api, 'big');
    assert.deepEqual(slices.map((s) => s.endpoints.length).sort(), [100, 30]);
    assert.equal(readyIPs(slices).length, 130);
  }));

  test('started: a pod turning unready, a deleted pod and a deleted Service update the slices', () => withTestApi(async ({ api }) => {
    const a = await runningPod(api, 'a', '10.42.0.5', true);
    await runningPod(api, 'b', '10.42.0.6', true);
    await api.create('services', service('web', { app: 'web' }));
    const c = new EndpointSliceController({ api, clock: new ManualClock() });
    await c.start();
    try {
      await eventually('both pods ready in the slice', async () => readyIPs(await slicesOf(api, 'web')).join() === '10.42.0.5,10.42.0.6');
      await setReady(api, a, '10.42.0.5', false);
      await eventually('pod a unready', async () => readyIPs(await slicesOf(api, 'web')).join() === '10.42.0.6');
      await api.delete('pods', 'b', 'default', { gracePeriodSeconds: 0 });
      await eventually('pod b gone (graceful delete marks it terminating first)', async () => {
        const eps = (await slicesOf(api, 'web')).flatMap((s) => s.endpoints);
        return eps.every((e) => e.targetRef?.name !== 'b' || e.conditions?.terminating === true) && readyIPs(await slicesOf(api, 'web')).length === 0;
      });
      await api.delete('services', 'web', 'default');
      await eventually('the slices go with the Service', async () => (await slicesOf(api, 'web')).length === 0);
    } finally { c.stop(); }
  }));
});
