import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insecureRegistries } from './insecure-registries.js';

test('--insecure-registry adds to LANTERN_INSECURE_REGISTRIES, leaves the environment alone, and refuses what is not HOST[:PORT]', () => {
  const env: NodeJS.ProcessEnv = { LANTERN_INSECURE_REGISTRIES: 'old.example:5000' };
  assert.deepEqual(insecureRegistries('reg.lan:5000, mirror.lan', env), ['old.example:5000', 'reg.lan:5000', 'mirror.lan']);
  assert.equal(env.LANTERN_INSECURE_REGISTRIES, 'old.example:5000');
  assert.deepEqual(insecureRegistries(undefined, env), ['old.example:5000']);
  assert.deepEqual(insecureRegistries(undefined, {}), []);
  assert.throws(() => insecureRegistries('http://reg.lan', env), /"http:\/\/reg.lan" is not HOST or HOST:PORT/);
});
