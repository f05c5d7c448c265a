import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileService, emptyRules } from './compile.js';
import { fixtureService, fixtureSlice } from './fixtures.js';
import { fullScript, listedNames, partialScript } from './script.js';

const web = (ready: string[]) => compileService(fixtureService('web', '10.43.0.10', 80), [fixtureSlice('web', 8080, ready)]);

test('partial sync: one endpoint added rewrites the service chain and its pick map and adds one endpoint chain, nothing else', () => {
  const d = partialScript('t', [{ before: web(['10.42.0.5']), after: web(['10.42.0.5', '10.42.0.6']) }]);
  assert.match(d.script, /^flush map ip t pick-\S+\nadd element ip t pick-\S+ \{ 0 : goto ep-\S+, 1 : goto ep-\S+ \}$/m);
  assert.equal(d.chainsWritten, 2);
  assert.equal(d.chainsDeleted, 0);
  assert.equal(d.elementsChanged, 0, 'the ClusterIP still points at the same chain');
  const lines = d.script.trim().split('\n');
  assert.equal(lines.filter((l) => l.startsWith('add chain')).length, 1);
  assert.ok(lines.some((l) => /^flush chain ip t svc-/.test(l)));
  assert.ok(!lines.some((l) => /^flush chain ip t ep-\S+10\.42\.0\.5/.test(l)), 'the unchanged endpoint chain is left alone');
});

test('partial sync: the last endpoint gone swaps the element to reject, and old chains are flushed before deletion', () => {
  const d = partialScript('t', [{ before: web(['10.42.0.5']), after: web([]) }]);
  const lines = d.script.trim().split('\n');
  assert.equal(d.chainsDeleted, 2);
  const idx = (re: RegExp) => lines.findIndex((l) => re.test(l));
  assert.ok(idx(/^delete element ip t service-ips/) >= 0);
  assert.ok(idx(/^add element ip t no-endpoint-services \{ 10\.43\.0\.10 \. tcp \. 80 : goto reject-chain \}/) >= 0);
  assert.ok(idx(/^flush chain/) < idx(/^delete chain/));
  assert.ok(idx(/^delete element/) < idx(/^delete chain/), 'nothing may point at a chain when it goes');
});

test('partial sync of an unchanged Service writes nothing; a removed one removes everything it had', () => {
  assert.equal(partialScript('t', [{ before: web(['10.42.0.5']), after: web(['10.42.0.5']) }]).script, '');
  const d = partialScript('t', [{ before: web(['10.42.0.5']), after: emptyRules() }]);
  assert.equal(d.chainsDeleted, 2);
  assert.equal(d.elementsChanged, 1);
});

test('full sync replaces the table at start and otherwise rewrites in place, deleting stale names', () => {
  const first = fullScript('t', [web(['10.42.0.5'])], { replace: true });
  assert.match(first, /^add table ip t\ndelete table ip t\nadd table ip t\n/);
  const again = fullScript('t', [web(['10.42.0.5'])], { replace: false, stale: { chains: ['ep-OLD'], sets: ['aff-OLD'], maps: [] } });
  assert.ok(!again.includes('delete table'));
  assert.ok(again.includes('flush map ip t service-ips'));
  assert.ok(again.includes('delete chain ip t ep-OLD') && again.includes('delete set ip t aff-OLD'));
});

test('listedNames reads chain and set names from nft -t list output', () => {
  const listing = 'table ip t {\n\tmap service-ips {\n\t}\n\tset aff-X-a/b {\n\t}\n\tchain svc-Y-a/b/tcp/http {\n\t}\n}\n';
  assert.deepEqual(listedNames(listing), { chains: ['svc-Y-a/b/tcp/http'], sets: ['aff-X-a/b'], maps: ['service-ips'] });
});
