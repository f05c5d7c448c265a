import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError } from './flags.js';
import { nodeRestrictionFromFlags } from './node-restriction-flags.js';

test('lanternd server node-restriction flags: defaults, reserved prefixes, and clear errors', () => {
  const d = nodeRestrictionFromFlags({});
  assert.deepEqual([d.eventQps, d.eventBurst], [20, 100]);
  assert.deepEqual(d.prefixes, ['node-role.kubernetes.io/', 'node-restriction.kubernetes.io/', 'node.lantern.dev/']);
  const r = nodeRestrictionFromFlags({ 'node-protected-label-prefixes': 'example.com/, corp.example', 'node-event-qps': '0.5', 'node-event-burst': '3' });
  assert.deepEqual(r.prefixes.slice(3), ['example.com/', 'corp.example/']);
  assert.deepEqual([r.eventQps, r.eventBurst], [0.5, 3]);
  assert.throws(() => nodeRestrictionFromFlags({ 'node-protected-label-prefixes': 'Bad Prefix' }), (e: unknown) => e instanceof FlagError && /invalid label prefix "Bad Prefix"/.test(e.message));
  assert.throws(() => nodeRestrictionFromFlags({ 'node-event-qps': '-1' }), /--node-event-qps: expected a number >= 0/);
  assert.throws(() => nodeRestrictionFromFlags({ 'node-event-burst': '1.5' }), /--node-event-burst: expected a whole number/);
});
