import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeControl } from './escape.js';

test('control characters become visible escapes; ordinary text (and backslashes, Unicode) stays as it is', () => {
  assert.equal(escapeControl('10.0.0.5\n6.6.6.6 pypi.org'), '10.0.0.5\\n6.6.6.6 pypi.org');
  assert.equal(escapeControl('a\rb\tc'), 'a\\rb\\tc');
  assert.equal(escapeControl('\u001b[2J\u001b]0;owned\u0007'), '\\x1b[2J\\x1b]0;owned\\x07');
  assert.equal(escapeControl('nul\u0000del\u007fcsi\u009b'), 'nul\\x00del\\x7fcsi\\x9b');
  assert.equal(escapeControl('line\u2028sep \u202egnp.exe'), 'line\\u2028sep \\u202egnp.exe');
  assert.equal(escapeControl('C:\\path ünïcødé 日本 ✓'), 'C:\\path ünïcødé 日本 ✓');
});
