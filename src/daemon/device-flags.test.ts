import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deviceConfigFromFlags } from './device-flags.js';

test('device discovery flags: defaults, values, and clear refusals', () => {
  const d = deviceConfigFromFlags({});
  assert.equal(d.driverRoot, '/');
  assert.deepEqual(d.cdiSpecDirs, ['/etc/cdi', '/var/run/cdi']);
  assert.equal(d.discoveryIntervalMs, 10_000);
  const s = deviceConfigFromFlags({ 'nvidia-driver-root': '/run/nvidia/driver', 'cdi-spec-dirs': '/etc/cdi, /opt/cdi', 'device-discovery-interval': '2s' });
  assert.deepEqual([s.driverRoot, s.cdiSpecDirs, s.discoveryIntervalMs], ['/run/nvidia/driver', ['/etc/cdi', '/opt/cdi'], 2000]);
  assert.throws(() => deviceConfigFromFlags({ 'cdi-spec-dirs': 'etc/cdi' }), /--cdi-spec-dirs: "etc\/cdi" is not an absolute path/);
  assert.throws(() => deviceConfigFromFlags({ 'nvidia-driver-root': true }), /--nvidia-driver-root: name a directory/);
  assert.throws(() => deviceConfigFromFlags({ 'device-discovery-interval': '0s' }), /--device-discovery-interval must be more than 0/);
});
