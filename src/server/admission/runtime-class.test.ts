import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import type { Pod } from '../../api/pod.js';
import type { RuntimeClass } from '../../api/schema/runtime-class.js';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { REQUIRED_RUNTIME_CLASS_LABEL } from './runtime-class.js';

const pod = (name: string, ns: string, runtimeClassName?: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { ...(runtimeClassName ? { runtimeClassName } : {}), containers: [{ name: 'c', image: 'busybox' }], ...extra },
});

async function refused(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof ApiError && e.code === code && message.test(e.message));
}

describe('RuntimeClass admission', () => {
  let t: TestApi;
  before(async () => {
    t = await openTestApi({ prefix: 't4-rc-' });
    await t.api.create<RuntimeClass>('runtimeclasses', {
      apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'gvisor' }, handler: 'runsc',
      overhead: { podFixed: { cpu: '250m', memory: '120Mi' } },
      scheduling: { nodeSelector: { 'lantern.dev/sandbox': 'true' }, tolerations: [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }] },
    });
    await t.api.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't4-tenant', labels: { [REQUIRED_RUNTIME_CLASS_LABEL]: 'gvisor' } } });
  });
  after(async () => { await t.close(); });

  test('overhead and scheduling of the class are merged into the pod', async () => {
    const p = await t.api.create<Pod>('pods', pod('a', 'default', 'gvisor', { nodeSelector: { disk: 'ssd' } }));
    assert.deepEqual(p.spec.overhead, { cpu: '250m', memory: '120Mi' });
    assert.deepEqual(p.spec.nodeSelector, { disk: 'ssd', 'lantern.dev/sandbox': 'true' });
    assert.deepEqual(p.spec.tolerations, [{ key: 'sandbox', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('a class that does not exist, a conflicting selector or overhead is refused', async () => {
    await refused(t.api.create('pods', pod('b', 'default', 'nope')), 'Forbidden', /RuntimeClass "nope" not found/);
    await refused(t.api.create('pods', pod('c', 'default', 'gvisor', { nodeSelector: { 'lantern.dev/sandbox': 'false' } })), 'Invalid', /spec\.nodeSelector\[lantern\.dev\/sandbox\]/);
    await refused(t.api.create('pods', pod('d', 'default', 'gvisor', { overhead: { cpu: '1' } })), 'Invalid', /spec\.overhead/);
  });

  test('a namespace that requires a class gives it to pods that name none and refuses another', async () => {
    const p = await t.api.create<Pod>('pods', pod('e', 't4-tenant'));
    assert.equal(p.spec.runtimeClassName, 'gvisor');
    await refused(t.api.create('pods', pod('f', 't4-tenant', 'other')), 'Forbidden', /namespace t4-tenant requires RuntimeClass "gvisor"/);
  });

  test('the handler is a DNS label and cannot change', async () => {
    await refused(t.api.create('runtimeclasses', { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'bad' }, handler: 'Run SC' }), 'Invalid', /handler/);
    const rc = await t.api.get<RuntimeClass>('runtimeclasses', 'gvisor');
    await refused(t.api.update('runtimeclasses', { ...rc, handler: 'runc' }), 'Invalid', /immutable/);
  });
});
