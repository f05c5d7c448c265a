import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyInsecureRegistries } from './insecure-registries.js';

test('--insecure-registry adds to LANTERN_INSECURE_REGISTRIES and refuses what is not HOST[:PORT]', () => {
  const env: NodeJS.ProcessEnv = { LANTERN_INSECURE_REGISTRIES: 'old.example:5000' };
  assert.deepEqual(applyInsecureRegistries('reg.lan:5000, mirror.lan', env), ['reg.lan:5000', 'mirror.lan']);
  assert.equal(env.LANTERN_INSECURE_REGISTRIES, 'old.example:5000,reg.lan:5000,mirror.lan');
  assert.deepEqual(applyInsecureRegistries(undefined, env), []);
  assert.throws(() => applyInsecureRegistries('http://reg.lan', env), /"http:\/\/reg.lan" is not HOST or HOST:PORT/);
});
