import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nfsUrl } from './nfs-helper.js';

test("the helper's URL carries the kernel client's port=/mountport=/nfsvers= options", () => {
  assert.equal(nfsUrl({ server: '10.0.0.5', path: '/srv/nfs', mountOptions: ['port=2050', 'mountport=2051'] }), 'nfs://10.0.0.5/srv/nfs?nfsport=2050&mountport=2051&version=3');
  assert.equal(nfsUrl({ server: 'fs1', path: '/x', mountOptions: ['nfsvers=4', 'rw'] }), 'nfs://fs1/x?version=4');
  assert.equal(nfsUrl({ server: 'fd00::1', path: '/x' }), 'nfs://[fd00::1]/x?version=3');
});
