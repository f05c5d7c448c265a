import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint } from '../../api/node.js';
import type { Toleration } from '../../api/schema/pod.js';
import { MakeNode, MakePod, runPlugin } from '../testing/builders.js';
import { taintToleration, toleratesTaint } from './taint-toleration.js';

describe('toleratesTaint', () => {
  const gpu: Taint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };
  const cases: [string, Toleration, Taint, boolean][] = [
    ['Equal with the same key, value and effect', { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }, gpu, true],
    ['Equal is the default operator', { key: 'gpu', value: 'true', effect: 'NoSchedule' }, gpu, true],
    ['Equal with another value', { key: 'gpu', operator: 'Equal', value: 'false', effect: 'NoSchedule' }, gpu, false],
    ['Equal without a value matches only a taint without a value', { key: 'gpu', operator: 'Equal' }, gpu, false],
    ['Equal without a value, taint without a value', { key: 'dedicated' }, { key: 'dedicated', effect: 'NoSchedule' }, true],
    ['Exists ignores the value', { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, gpu, true],
    ['Exists with another key', { key: 'ssd', operator: 'Exists' }, gpu, false],
    ['an empty effect matches every effect', { key: 'gpu', operator: 'Exists' }, { ...gpu, effect: 'NoExecute' }, true],
    ['"" as effect matches every effect', { key: 'gpu', operator: 'Exists', effect: '' }, { ...gpu, effect: 'PreferNoSchedule' }, true],
    ['another effect does not match', { key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['an empty key with Exists tolerates every taint', { operator: 'Exists' }, gpu, true],
    ['an empty key with Exists and an effect tolerates that effect only', { operator: 'Exists', effect: 'NoExecute' }, gpu, false],
  ];
  for (const [what, t, taint, want] of cases) test(what, () => assert.equal(toleratesTaint(t, taint), want));
});

describe('TaintToleration filter', () => {
  const node = (...taints: Taint[]) => {
    const b = MakeNode().Name('n1');
    for (const t of taints) b.Taint(t.key, t.value, t.effect);
    return b.Obj();
  };
  const cases: [string, Taint[], Toleration[], string | undefined][] = [
    ['an untainted node takes any pod', [], [], undefined],
    ['NoSchedule without a toleration', [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }], [], 'node(s) had untolerated taint {gpu: true}'],
    ['NoExecute without a toleration', [{ key: 'maint', effect: 'NoExecute' }], [], 'node(s) had untolerated taint {maint: }'],
    ['PreferNoSchedule never blocks', [{ key: 'spot', value: 'yes', effect: 'PreferNoSchedule' }], [], undefined],
    ['a tolerated NoSchedule taint', [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }], [{ key: 'gpu', operator: 'Exists' }], undefined],
    ['the first untolerated taint is named', [{ key: 'a', value: '1', effect: 'NoSchedule' }, { key: 'b', value: '2', effect: 'NoExecute' }], [{ key: 'a', value: '1' }], 'node(s) had untolerated taint {b: 2}'],
    ['a toleration for NoSchedule does not cover NoExecute', [{ key: 'gpu', value: 'true', effect: 'NoExecute' }], [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }], 'node(s) had untolerated taint {gpu: true}'],
    ['tolerate everything', [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }], [{ operator: 'Exists' }], undefined],
  ];
  for (const [what, taints, tolerations, reason] of cases) {
    test(what, () => {
      const pod = MakePod().Name('p');
      for (const t of tolerations) pod.Toleration(t);
      const run = runPlugin(taintToleration, pod.Obj(), [node(...taints)]);
      if (reason === undefined) assert.deepEqual(run.feasible, ['n1']);
      else assert.deepEqual(run.rejected, { n1: { code: 'UnschedulableAndUnresolvable', reason } });
    });
  }
});

describe('TaintToleration score', () => {
  const nodes = [
    MakeNode().Name('clean').Obj(),
    MakeNode().Name('one').Taint('spot', 'yes', 'PreferNoSchedule').Obj(),
    MakeNode().Name('two').Taint('spot', 'yes', 'PreferNoSchedule').Taint('old', 'yes', 'PreferNoSchedule').Obj(),
  ];
  test('fewer untolerated PreferNoSchedule taints score higher', () => {
    assert.deepEqual(runPlugin(taintToleration, MakePod().Obj(), nodes).scores, { clean: 100, one: 50, two: 0 });
  });
  test('a tolerated PreferNoSchedule taint does not count', () => {
    const pod = MakePod().Toleration({ key: 'spot', operator: 'Exists', effect: 'PreferNoSchedule' }).Obj();
    assert.deepEqual(runPlugin(taintToleration, pod, nodes).scores, { clean: 100, one: 100, two: 0 });
  });
  test('a toleration for another effect does not help scoring', () => {
    const pod = MakePod().Toleration({ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }).Obj();
    assert.deepEqual(runPlugin(taintToleration, pod, nodes).scores, { clean: 100, one: 50, two: 0 });
  });
  test('no PreferNoSchedule taints anywhere: every node scores 100', () => {
    assert.deepEqual(runPlugin(taintToleration, MakePod().Obj(), [MakeNode().Name('a').Obj(), MakeNode().Name('b').Obj()]).scores, { a: 100, b: 100 });
  });
});
