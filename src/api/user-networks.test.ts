import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from './pod.js';
import { podAttachments, podAliases } from './user-networks.js';
import { networkKind } from './kinds/network.js';
import type { Network } from './schema/network.js';

const pod = (annotations: Record<string, string>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

test('the primary network is eth0 with its --ip and params; Multus extras are net1, net2 (text or JSON)', () => {
  const r = podAttachments(pod({ 'lantern.dev/network': 'front', 'lantern.dev/network-ip': '172.30.0.5', 'lantern.dev/network-params': 'sriov_vf=2', 'k8s.v1.cni.cncf.io/networks': 'default/back,mgmt@m0' }));
  assert.ok(r.ok);
  assert.deepEqual(r.attachments.map((a) => [a.network, a.ifName, a.ip]), [['front', 'eth0', '172.30.0.5'], ['back', 'net1', undefined], ['mgmt', 'm0', undefined]]);
  assert.deepEqual(r.attachments[0]!.params, { sriov_vf: '2' });
  const j = podAttachments(pod({ 'k8s.v1.cni.cncf.io/networks': '[{"name":"back","ips":["172.31.0.9/24"],"interface":"b0"}]' }));
  assert.ok(j.ok);
  assert.deepEqual(j.attachments.map((a) => [a.network, a.ifName, a.ip]), [['back', 'b0', '172.31.0.9']]);
});

test('a bad annotation is an error naming it', () => {
  const r = podAttachments(pod({ 'k8s.v1.cni.cncf.io/networks': '[{"nom":1}]' }));
  assert.ok(!r.ok && /k8s.v1.cni.cncf.io\/networks entry 0 must be an object with a "name"/.test(r.error));
  const d = podAttachments(pod({ 'lantern.dev/network': 'a', 'k8s.v1.cni.cncf.io/networks': 'a' }));
  assert.ok(!d.ok && /network a is named twice/.test(d.error));
  assert.deepEqual(podAliases(pod({ 'lantern.dev/network-aliases': '{"front":["db","primary"]}' })), { front: ['db', 'primary'] });
});

const net = (spec: Partial<Network['spec']>): Network => ({ apiVersion: 'lantern.dev/v1', kind: 'Network', metadata: { name: 'n' }, spec: { driver: 'bridge', subnet: '172.30.0.0/24', ...spec } });
const fields = (n: Network): string[] => networkKind.validate(n).map((c) => `${c.field}: ${c.message}`);

test('Network validation names the field and what is expected', () => {
  assert.deepEqual(fields(net({})), []);
  assert.match(fields(net({ subnet: '300.1.0.0/24' })).join(), /spec.subnet: must be an IPv4 CIDR/);
  assert.match(fields(net({ gateway: '10.0.0.1' })).join(), /spec.gateway: 10.0.0.1 must be an address inside the subnet 172.30.0.0\/24/);
  assert.match(fields(net({ ipRange: '172.31.0.0/25' })).join(), /spec.ipRange: must be an IPv4 CIDR inside the subnet/);
  assert.match(fields(net({ driver: 'macvlan' })).join(), /spec.parent: is required for the macvlan driver/);
  assert.match(fields(net({ driver: 'sriov' })).join(), /spec.physicalInterface: is required for the sriov driver/);
  assert.match(fields(net({ parent: 'eth0' })).join(), /spec.parent: is not used by the bridge driver/);
  assert.match(fields(net({ driver: 'macvlan', parent: 'eth0', vlan: 5000 })).join(), /spec.vlan/);
  assert.deepEqual(networkKind.validateUpdate!(net({}), net({ subnet: '172.31.0.0/24' })).map((c) => c.field), ['spec']);
});
