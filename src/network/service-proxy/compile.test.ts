import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileService, type ServiceRules } from './compile.js';
import { fixtureService, fixtureSlice } from './fixtures.js';

const chainsLike = (r: ServiceRules, prefix: string): string[] => [...r.chains.keys()].filter((c) => c.startsWith(prefix));
const elements = (r: ServiceRules, map: string): string[] => [...r.elements.values()].filter((e) => e.map === map).map((e) => `${e.key} -> ${e.verdict}`);

test('a ClusterIP Service gets a service chain, one endpoint chain per ready endpoint and a map element', () => {
  const r = compileService(fixtureService('web', '10.43.0.10', 80), [fixtureSlice('web', 8080, ['10.42.0.5', '10.42.0.6'], ['10.42.0.7'])], { podInterfaces: ['lantern0'] });
  const [svc] = chainsLike(r, 'svc-');
  assert.ok(svc?.endsWith('-default/web/tcp/http'));
  assert.equal(chainsLike(r, 'ep-').length, 2, 'the unready endpoint gets no chain');
  assert.deepEqual(elements(r, 'service-ips'), [`10.43.0.10 . tcp . 80 -> goto ${svc}`]);
  const pick = r.chains.get(svc!)!;
  assert.equal(pick[0], 'iifname != "lantern0" jump mark-for-masquerade');
  assert.match(pick.at(-1)!, /^numgen random mod 2 vmap @pick-\S+-default\/web\/tcp\/http$/);
  const [map] = [...r.maps.values()];
  assert.equal(map?.length, 2);
  assert.match(map![0]!, /^0 : goto ep-.*10\.42\.0\.5\/8080$/);
  assert.match(map![1]!, /^1 : goto ep-.*10\.42\.0\.6\/8080$/);
  const ep = r.chains.get(chainsLike(r, 'ep-')[0]!)!;
  assert.deepEqual(ep, ['ip saddr 10.42.0.5 jump mark-for-masquerade', 'meta l4proto tcp dnat to 10.42.0.5:8080']);
  assert.equal(r.sets.size, 0);
  assert.deepEqual(elements(r, 'service-nodeports'), []);
});

test('no ready endpoint: a reject element instead of chains, for the ClusterIP and the NodePort', () => {
  const svc = fixtureService('web', '10.43.0.10', 80, { type: 'NodePort', ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }] });
  const r = compileService(svc, [fixtureSlice('web', 8080, [], ['10.42.0.7'])]);
  assert.equal(r.chains.size, 0);
  assert.deepEqual(elements(r, 'no-endpoint-services'), ['10.43.0.10 . tcp . 80 -> goto reject-chain']);
  assert.deepEqual(elements(r, 'no-endpoint-nodeports'), ['tcp . 30080 -> goto reject-chain']);
  assert.deepEqual(compileService(fixtureService('web', '10.43.0.10', 80), []).elements.size, 1, 'no slice at all is no endpoint too');
});

test('headless, ExternalName and IPv6-only Services get no rules', () => {
  const slices = [fixtureSlice('web', 8080, ['10.42.0.5'])];
  for (const spec of [{ clusterIP: 'None' }, { type: 'ExternalName' as const, externalName: 'example.com', clusterIP: '' }, { clusterIP: 'fd00::1' }]) {
    const r = compileService(fixtureService('web', '10.43.0.10', 80, spec), slices);
    assert.equal(r.chains.size + r.elements.size + r.sets.size + r.maps.size, 0, JSON.stringify(spec));
  }
});

test('NodePort: an external chain that masquerades, then the service chain', () => {
  const svc = fixtureService('web', '10.43.0.10', 80, { type: 'NodePort', ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }] });
  const r = compileService(svc, [fixtureSlice('web', 8080, ['10.42.0.5'])]);
  const [ext] = chainsLike(r, 'ext-');
  const [svcChain] = chainsLike(r, 'svc-');
  assert.deepEqual(elements(r, 'service-nodeports'), [`tcp . 30080 -> goto ${ext}`]);
  assert.deepEqual(r.chains.get(ext!), ['jump mark-for-masquerade', `goto ${svcChain}`]);
  assert.equal(r.chains.get(svcChain!)![0], 'jump mark-for-masquerade', 'no pod interface given: masquerade all');
});

test('sessionAffinity ClientIP: a timed set per endpoint, checked before the random pick and updated on the way', () => {
  const svc = fixtureService('web', '10.43.0.10', 80, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
  const r = compileService(svc, [fixtureSlice('web', 8080, ['10.42.0.5', '10.42.0.6'])]);
  assert.deepEqual([...r.sets.values()], [60, 60]);
  const pick = r.chains.get(chainsLike(r, 'svc-')[0]!)!;
  assert.equal(pick.filter((l) => /^ip saddr @aff-\S+ goto ep-/.test(l)).length, 2);
  assert.match(pick.at(-1)!, /^numgen/);
  for (const ep of chainsLike(r, 'ep-')) assert.ok(r.chains.get(ep)!.some((l) => /^update @aff-\S+ \{ ip saddr \}$/.test(l)));
});

test('endpoints are matched by port name and protocol, deduplicated over slices, and bad addresses dropped', () => {
  const svc = fixtureService('web', '10.43.0.10', 53, { ports: [{ name: 'dns', protocol: 'UDP', port: 53 }, { name: 'dns-tcp', protocol: 'TCP', port: 53 }] });
  const a = { ...fixtureSlice('web', 5353, ['10.42.0.5', '10.42.0.6']), ports: [{ name: 'dns', protocol: 'UDP' as const, port: 5353 }, { name: 'dns-tcp', protocol: 'TCP' as const, port: 5354 }] };
  const b = { ...fixtureSlice('web', 5353, ['10.42.0.6', '1.2.3.4; flush ruleset'], [], 'default', 'b'), ports: a.ports };
  const r = compileService(svc, [a, b]);
  const eps = chainsLike(r, 'ep-');
  assert.equal(eps.length, 4, '2 endpoints x 2 ports');
  assert.ok(eps.some((c) => c.endsWith('/udp/dns__10.42.0.6/5353')));
  assert.ok(eps.some((c) => c.endsWith('/tcp/dns-tcp__10.42.0.6/5354')));
  assert.ok(![...r.chains.values()].flat().some((l) => l.includes('flush')));
});
