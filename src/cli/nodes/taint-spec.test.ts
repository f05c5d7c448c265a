import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTaints, parseTaintSpecs } from './taint-spec.js';
import { CliError, UsageError } from '../errors.js';

test('taint specs: key=value:Effect adds, key:Effect- and key- remove', () => {
  assert.deepEqual(parseTaintSpecs(['dedicated=gpu:NoSchedule', 'spot:PreferNoSchedule', 'old:NoExecute-', 'gone-']), {
    add: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'spot', effect: 'PreferNoSchedule' }],
    remove: [{ key: 'old', effect: 'NoExecute' }, { key: 'gone' }],
  });
  assert.deepEqual(parseTaintSpecs(['example.com/zone=a:NoExecute']).add, [{ key: 'example.com/zone', value: 'a', effect: 'NoExecute' }]);
});

test('taint specs with a bad effect, no effect or a bad key are refused with kubectl words', () => {
  assert.throws(() => parseTaintSpecs(['a=b:Sometimes']), (e: unknown) => e instanceof UsageError && e.message === 'invalid taint spec: a=b:Sometimes, invalid taint effect: Sometimes, unsupported taint effect');
  assert.throws(() => parseTaintSpecs(['a=b']), /invalid taint spec: a=b, the effect is required/);
  assert.throws(() => parseTaintSpecs(['bad key=x:NoSchedule']), /invalid taint spec: bad key=x:NoSchedule, invalid label key/);
  assert.throws(() => parseTaintSpecs(['a:Never-']), /invalid taint effect: Never/);
  assert.throws(() => parseTaintSpecs([]), /at least one taint update is required/);
  assert.throws(() => parseTaintSpecs(['a=b:NoSchedule', 'a-']), /can not both modify and remove/);
});

test('applying taints: same key and effect needs --overwrite, removing a missing taint fails', () => {
  const current = [{ key: 'a', value: '1', effect: 'NoSchedule' as const }];
  assert.deepEqual(applyTaints('n1', current, parseTaintSpecs(['a=2:NoExecute']), false), [...current, { key: 'a', value: '2', effect: 'NoExecute' }]);
  assert.throws(() => applyTaints('n1', current, parseTaintSpecs(['a=2:NoSchedule']), false), (e: unknown) => e instanceof CliError && /Node n1 already has a taint\(s\) with same effect\(s\) and --overwrite is false/.test(e.message));
  assert.deepEqual(applyTaints('n1', current, parseTaintSpecs(['a=2:NoSchedule']), true), [{ key: 'a', value: '2', effect: 'NoSchedule' }]);
  assert.deepEqual(applyTaints('n1', current, parseTaintSpecs(['a-']), false), []);
  assert.deepEqual(applyTaints('n1', current, parseTaintSpecs(['a:NoSchedule-']), false), []);
  assert.throws(() => applyTaints('n1', current, parseTaintSpecs(['a:NoExecute-']), false), /taint "a:NoExecute" not found/);
});
