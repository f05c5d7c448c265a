import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, patchTypeOf, PatchError } from './index.js';

const deployment = {
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    replicas: 1,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
          { name: 'sidecar', image: 'busybox', args: ['sleep', '1'] },
        ],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
};

test('merge patch: keys merge, null removes, lists replace (RFC 7386)', () => {
  const out = applyPatch('application/merge-patch+json', deployment, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 3 } }) as unknown as typeof deployment;
  assert.deepEqual(out.metadata.labels, { app: 'web', env: 'prod' });
  assert.equal(out.spec.replicas, 3);
  const lists = applyPatch('application/merge-patch+json', deployment, { spec: { template: { spec: { containers: [{ name: 'only' }] } } } }) as unknown as typeof deployment;
  assert.deepEqual(lists.spec.template.spec.containers, [{ name: 'only' }]);
  assert.equal(deployment.spec.replicas, 1, 'the target is not changed in place');
});

test('JSON patch: operations apply in order and a failing test aborts the whole patch', () => {
  const out = applyPatch('application/json-patch+json', deployment, [
    { op: 'replace', path: '/spec/replicas', value: 5 },
    { op: 'add', path: '/metadata/labels/a~1b', value: 'x' },
    { op: 'remove', path: '/spec/template/spec/containers/1' },
    { op: 'add', path: '/metadata/finalizers/-', value: 'b' },
    { op: 'copy', from: '/metadata/name', path: '/metadata/labels/copied' },
    { op: 'move', from: '/metadata/labels/tier', path: '/metadata/labels/moved' },
    { op: 'test', path: '/spec/replicas', value: 5 },
  ]) as unknown as typeof deployment & { metadata: { labels: Record<string, string> } };
  assert.equal(out.spec.replicas, 5);
  assert.deepEqual(out.metadata.labels, { app: 'web', 'a/b': 'x', copied: 'web', moved: 'front' });
  assert.equal(out.spec.template.spec.containers.length, 1);
  assert.deepEqual(out.metadata.finalizers, ['a', 'b']);
  assert.throws(() => applyPatch('application/json-patch+json', deployment, [{ op: 'test', path: '/spec/replicas', value: 9 }]), (e: unknown) => e instanceof PatchError && /operation 0 \(test\): test failed/.test(e.message));
  assert.throws(() => applyPatch('application/json-patch+json', deployment, [{ op: 'replace', path: '/spec/nope/x', value: 1 }]), /operation 0 \(replace\): path \/spec\/nope\/x: "nope" does not exist/);
  assert.throws(() => applyPatch('application/json-patch+json', deployment, [{ op: 'jump', path: '/a' }]), /"op" must be one of/);
  assert.throws(() => applyPatch('application/json-patch+json', deployment, { op: 'add' }), /must be a list of operations/);
});

test('strategic merge: containers and env merge by name, other lists replace, as kubectl set image and set env expect', () => {
  const out = applyPatch('application/strategic-merge-patch+json', deployment, {
    spec: { template: { spec: {
      containers: [{ name: 'web', image: 'nginx:2', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }],
      tolerations: [{ key: 'y', operator: 'Exists' }],
    } } },
  }) as unknown as typeof deployment;
  const [web, sidecar] = out.spec.template.spec.containers;
  assert.equal(web?.image, 'nginx:2');
  assert.deepEqual(web?.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
  assert.deepEqual(web?.ports, [{ containerPort: 80 }], 'fields the patch does not name are kept');
  assert.equal(sidecar?.name, 'sidecar', 'containers the patch does not name are kept');
  assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'y', operator: 'Exists' }]);
});

test('strategic merge directives: $patch delete and replace, $deleteFromPrimitiveList, $retainKeys, finalizers as a set', () => {
  const del = applyPatch('application/strategic-merge-patch+json', deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }) as unknown as typeof deployment;
  assert.deepEqual(del.spec.template.spec.containers.map((c) => c.name), ['web']);
  const rep = applyPatch('application/strategic-merge-patch+json', deployment, { metadata: { labels: { $patch: 'replace', only: 'this' } } }) as unknown as typeof deployment;
  assert.deepEqual(rep.metadata.labels, { only: 'this' });
  const fin = applyPatch('application/strategic-merge-patch+json', deployment, { metadata: { finalizers: ['a', 'c'], '$deleteFromPrimitiveList/finalizers': [] } }) as unknown as typeof deployment;
  assert.deepEqual(fin.metadata.finalizers, ['a', 'c']);
  const gone = applyPatch('application/strategic-merge-patch+json', deployment, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }) as unknown as typeof deployment;
  assert.deepEqual(gone.metadata.finalizers, []);
  const kept = applyPatch('application/strategic-merge-patch+json', { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
  assert.deepEqual(kept, { spec: { strategy: { type: 'Recreate' } } });
  assert.throws(() => applyPatch('application/strategic-merge-patch+json', deployment, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }), /must carry its merge key "name"/);
});

test('kubectl rollout restart: an annotation added to the pod template, the rest kept', () => {
  const out = applyPatch('application/strategic-merge-patch+json', deployment, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-05T17:00:00Z' } } } } }) as unknown as { spec: { template: { metadata: { annotations: Record<string, string> }; spec: unknown } } };
  assert.equal(out.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], '2026-12-05T17:00:00Z');
  assert.deepEqual(out.spec.template.spec, deployment.spec.template.spec);
});

test('patch types by Content-Type, parameters ignored', () => {
  assert.equal(patchTypeOf('application/merge-patch+json; charset=utf-8'), 'application/merge-patch+json');
  assert.equal(patchTypeOf('application/strategic-merge-patch+json'), 'application/strategic-merge-patch+json');
  assert.equal(patchTypeOf('application/json'), undefined);
  assert.equal(patchTypeOf(undefined), undefined);
});
