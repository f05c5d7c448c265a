import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { labelProblems, policyOf } from './policy.js';

describe('Pod Security policy from namespace labels', () => {
  test('no labels: the server default for every mode', () => {
    assert.deepEqual(policyOf(undefined, { enforce: 'baseline' }), {
      enforce: { level: 'baseline', version: 'latest' }, warn: { level: 'baseline', version: 'latest' }, audit: { level: 'baseline', version: 'latest' },
    });
  });

  test('labels choose each mode and version', () => {
    const p = policyOf({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.29' }, { enforce: 'baseline' });
    assert.deepEqual(p.enforce, { level: 'privileged', version: 'latest' });
    assert.deepEqual(p.warn, { level: 'restricted', version: 'v1.29' });
    assert.equal(p.audit.level, 'privileged');
  });

  test('an unknown level is read as restricted (a typo never opens a namespace) and is reported', () => {
    const labels = { 'pod-security.kubernetes.io/enforce': 'privilegd' };
    assert.equal(policyOf(labels, { enforce: 'baseline' }).enforce.level, 'restricted');
    assert.match(labelProblems(labels)[0] ?? '', /enforce: unknown level "privilegd": expected privileged, baseline or restricted/);
  });
});
