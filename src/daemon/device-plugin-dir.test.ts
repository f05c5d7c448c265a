import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { deviceConfigFromFlags } from './device-flags.js';

test('--device-plugin-dir names where kubelet.sock is served; absent, the node uses DATA_DIR/device-plugins', () => {
  assert.equal(deviceConfigFromFlags({ 'device-plugin-dir': '/var/lib/kubelet/device-plugins' }).pluginDir, '/var/lib/kubelet/device-plugins');
  assert.equal(deviceConfigFromFlags({ 'device-plugin-dir': 'rel/plugins' }).pluginDir, path.resolve('rel/plugins'));
  assert.equal(deviceConfigFromFlags({}).pluginDir, undefined);
});
