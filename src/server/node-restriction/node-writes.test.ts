import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import { mergeReportedLabels, reportedLabelsAnnotation } from '../../api/node-labels.js';
import { NodeRestriction } from './index.js';
import { agentNode, apiError, withNodes, type Kit } from './testkit.js';

/** The node registers as the agent does (create, then status), and the admin adds a label and a taint. */
async function registeredWithAdminChanges(kit: Kit, name = 'edge-1'): Promise<Node> {
  const created = await kit.as(name).create('nodes', agentNode(name, { zone: 'a' }));
  await kit.as(name).updateStatus('nodes', created);
  const n = await kit.admin.get<Node>('nodes', name);
  return kit.admin.update<Node>('nodes', { ...n, metadata: { ...n.metadata, labels: { ...n.metadata.labels, team: 'ml' } }, spec: { taints: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }] } });
}

const withLabels = (n: Node, labels: Record<string, string>): Node => ({ ...n, metadata: { ...n.metadata, labels } });

describe('node restriction: a node writing its own Node', () => {
  test('registers with the labels it reports about itself, and the server records them as the node\'s', () => withNodes(async (kit) => {
    const created = await kit.as('edge-1').create('nodes', agentNode('edge-1', { 'topology.kubernetes.io/zone': 'z1', 'example.com/gpu': 'a100', zone: 'a' }));
    assert.equal(created.metadata.labels?.['kubernetes.io/hostname'], 'edge-1');
    assert.deepEqual(JSON.parse(created.metadata.annotations?.[reportedLabelsAnnotation] ?? '{}'), created.metadata.labels);
  }));

  for (const key of ['node-role.kubernetes.io/control-plane', 'node-restriction.kubernetes.io/pool', 'node.lantern.dev/trusted', 'kubernetes.io/role', 'sub.node-role.kubernetes.io/x']) {
    test(`may not register with the protected label ${key} (Forbidden, naming the label)`, () => withNodes(async (kit) => {
      await assert.rejects(kit.as('edge-1').create('nodes', agentNode('edge-1', { [key]: 'true' })), apiError('Forbidden', new RegExp(`metadata\\.labels\\.${key.replace(/\./g, '\\.')}: `), `metadata.labels.${key}`));
    }));
  }

  test('may not add a protected label later, nor one under a prefix the admin reserved', () => withNodes(async (kit) => {
    await registeredWithAdminChanges(kit);
    const n = await kit.as('edge-1').get<Node>('nodes', 'edge-1');
    await assert.rejects(kit.as('edge-1').update('nodes', withLabels(n, { ...n.metadata.labels, 'node-role.kubernetes.io/control-plane': '' })), apiError('Forbidden', /reserved for admins/, 'metadata.labels.node-role.kubernetes.io/control-plane'));
    await assert.rejects(kit.as('edge-1').update('nodes', withLabels(n, { ...n.metadata.labels, 'example.com/tier': 'gold' })), apiError('Forbidden', /example\.com\//));
    await assert.rejects(kit.as('edge-1').update('nodes', withLabels(n, { ...n.metadata.labels, 'a.example.com/tier': 'gold' })), apiError('Forbidden'));
  }, new NodeRestriction({ protectedLabelPrefixes: ['example.com/'] })));

  test('may not change or remove a label or a taint the admin set, but may change its own labels', () => withNodes(async (kit) => {
    await registeredWithAdminChanges(kit);
    const node = kit.as('edge-1');
    const n = await node.get<Node>('nodes', 'edge-1');
    const { team: _team, ...withoutTeam } = n.metadata.labels ?? {};
    await assert.rejects(node.update('nodes', withLabels(n, withoutTeam)), apiError('Forbidden', /set by an admin \("ml"\): a node may not remove it/, 'metadata.labels.team'));
    await assert.rejects(node.update('nodes', withLabels(n, { ...n.metadata.labels, team: 'web' })), apiError('Forbidden', /may not change it/, 'metadata.labels.team'));
    await assert.rejects(node.update('nodes', { ...n, spec: { taints: [] } }), apiError('Forbidden', /taints only when it registers/, 'spec.taints'));
    await assert.rejects(node.update('nodes', { ...n, spec: { taints: [{ key: 'dedicated', value: 'ml', effect: 'PreferNoSchedule' }] } }), apiError('Forbidden', undefined, 'spec.taints'));
    const ok = await node.update('nodes', withLabels(n, { ...n.metadata.labels, zone: 'b', disk: 'ssd' }));
    assert.equal(ok.metadata.labels?.zone, 'b');
    assert.equal(ok.metadata.labels?.team, 'ml');
    assert.deepEqual(ok.spec?.taints, [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }]);
  }));

  test('a label of the node\'s that the admin changed becomes the admin\'s', () => withNodes(async (kit) => {
    await registeredWithAdminChanges(kit);
    const a = await kit.admin.get<Node>('nodes', 'edge-1');
    await kit.admin.update('nodes', withLabels(a, { ...a.metadata.labels, zone: 'admin-zone' }));
    const n = await kit.as('edge-1').get<Node>('nodes', 'edge-1');
    await assert.rejects(kit.as('edge-1').update('nodes', withLabels(n, { ...n.metadata.labels, zone: 'a' })), apiError('Forbidden', /set by an admin \("admin-zone"\)/, 'metadata.labels.zone'));
  }));

  test('may not forge the record of which labels are its own', () => withNodes(async (kit) => {
    await registeredWithAdminChanges(kit);
    const n = await kit.as('edge-1').get<Node>('nodes', 'edge-1');
    const forged = JSON.stringify(n.metadata.labels);
    await assert.rejects(kit.as('edge-1').update('nodes', { ...n, metadata: { ...n.metadata, annotations: { [reportedLabelsAnnotation]: forged } } }), apiError('Forbidden', undefined, `metadata.annotations.${reportedLabelsAnnotation}`));
    // Leaving the annotation out keeps it (the agent need not carry it).
    const { [reportedLabelsAnnotation]: _kept, ...rest } = n.metadata.annotations ?? {};
    const ok = await kit.as('edge-1').update('nodes', { ...n, metadata: { ...n.metadata, annotations: rest } });
    assert.equal(ok.metadata.annotations?.[reportedLabelsAnnotation], n.metadata.annotations?.[reportedLabelsAnnotation]);
  }));

  test('may register with taints and cordoned, may cordon itself, never uncordon', () => withNodes(async (kit) => {
    const node = kit.as('edge-1');
    const created = await node.create('nodes', { ...agentNode('edge-1'), spec: { taints: [{ key: 'gpu', effect: 'NoSchedule' }] } });
    assert.deepEqual(created.spec?.taints, [{ key: 'gpu', effect: 'NoSchedule' }]);
    const cordoned = await node.update('nodes', { ...created, spec: { ...created.spec, unschedulable: true } });
    assert.equal(cordoned.spec?.unschedulable, true);
    await assert.rejects(node.update('nodes', { ...cordoned, spec: { ...cordoned.spec, unschedulable: false } }), apiError('Forbidden', /lcctl uncordon/, 'spec.unschedulable'));
    await assert.rejects(node.update('nodes', { ...cordoned, spec: { taints: cordoned.spec?.taints } }), apiError('Forbidden', undefined, 'spec.unschedulable'));
  }));

  test('may not claim or change its pod range (spec.podCIDR is the admin\'s)', () => withNodes(async (kit) => {
    await assert.rejects(kit.as('edge-1').create('nodes', { ...agentNode('edge-1'), spec: { podCIDR: '10.0.0.0/8' } }), apiError('Forbidden', undefined, 'spec.podCIDR'));
    const n = await kit.as('edge-1').create('nodes', agentNode('edge-1'));
    await assert.rejects(kit.as('edge-1').update('nodes', { ...n, spec: { podCIDR: '10.0.0.0/8' } }), apiError('Forbidden', undefined, 'spec.podCIDR'));
  }));

  test('a stale write is a Conflict, not checked against a newer Node', () => withNodes(async (kit) => {
    const n = await registeredWithAdminChanges(kit);
    await kit.admin.update('nodes', { ...n, spec: { taints: [] } });
    await assert.rejects(kit.as('edge-1').update('nodes', n), apiError('Conflict'));
  }));

  test('a restarting agent merges its labels over a Node the admin changed, and the API accepts it', () => withNodes(async (kit) => {
    await registeredWithAdminChanges(kit);
    const a = await kit.admin.get<Node>('nodes', 'edge-1');
    await kit.admin.update('nodes', withLabels(a, { ...a.metadata.labels, zone: 'admin-zone' }));
    const existing = await kit.as('edge-1').get<Node>('nodes', 'edge-1');
    const desired = agentNode('edge-1', { zone: 'a', rack: 'r7' }).metadata.labels ?? {};
    const updated = await kit.as('edge-1').update('nodes', { ...existing, metadata: { ...existing.metadata, labels: mergeReportedLabels(existing, desired) } });
    assert.deepEqual({ zone: updated.metadata.labels?.zone, team: updated.metadata.labels?.team, rack: updated.metadata.labels?.rack }, { zone: 'admin-zone', team: 'ml', rack: 'r7' });
    assert.deepEqual(updated.spec?.taints, [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }]);
  }));
});

describe('node restriction: what a node may claim in capacity and allocatable', () => {
  const claim = (cap: Record<string, string>, alloc: Record<string, string> = cap) => async (kit: Kit): Promise<void> => {
    const n = await kit.as('edge-1').create('nodes', agentNode('edge-1'));
    await kit.as('edge-1').updateStatus('nodes', { ...n, status: { ...n.status, capacity: cap, allocatable: alloc } });
  };
  const cases: [string, Record<string, string>, Record<string, string> | undefined, string, RegExp][] = [
    ['100000 CPUs', { cpu: '100000', memory: '8Gi', pods: '110' }, undefined, 'status.capacity.cpu', /more than a machine can have: at most 8192/],
    ['a petabyte of memory', { cpu: '4', memory: '1Pi', pods: '110' }, undefined, 'status.capacity.memory', /at most 64Ti/],
    ['a million pods', { cpu: '4', memory: '8Gi', pods: '1000000' }, undefined, 'status.capacity.pods', /at most 10000/],
    ['a negative quantity', { cpu: '-4', memory: '8Gi' }, undefined, 'status.capacity.cpu', /greater than or equal to 0/],
    ['a quantity that does not parse', { cpu: 'lots', memory: '8Gi' }, undefined, 'status.capacity.cpu', /invalid quantity/],
    ['allocatable over capacity', { cpu: '4', memory: '8Gi' }, { cpu: '8', memory: '8Gi' }, 'status.allocatable.cpu', /less than or equal to capacity 4/],
    ['half a GPU', { cpu: '4', 'nvidia.com/gpu': '0.5' }, undefined, 'status.capacity.nvidia.com/gpu', /whole number/],
    ['an unknown resource name', { cpu: '4', bananas: '3' }, undefined, 'status.capacity.bananas', /unknown resource name/],
  ];
  for (const [what, cap, alloc, field, message] of cases) {
    test(`refuses ${what} (Forbidden, naming ${field})`, () => withNodes(async (kit) => {
      await assert.rejects(claim(cap, alloc)(kit), apiError('Forbidden', message, field));
    }));
  }
  test('accepts a real machine\'s claims, including devices', () => withNodes(async (kit) => {
    await claim({ cpu: '256', memory: '2Ti', pods: '250', 'ephemeral-storage': '100Ti', 'hugepages-2Mi': '1Gi', 'nvidia.com/gpu': '8' }, { cpu: '255500m', memory: '2047Gi', pods: '250', 'nvidia.com/gpu': '8' })(kit);
    const n = await kit.admin.get<Node>('nodes', 'edge-1');
    assert.equal(n.status?.capacity?.['nvidia.com/gpu'], '8');
  }));
  test('refuses the same claims at registration', () => withNodes(async (kit) => {
    await assert.rejects(kit.as('edge-1').create('nodes', { ...agentNode('edge-1'), status: { capacity: { cpu: '100000' } } }), apiError('Forbidden', undefined, 'status.capacity.cpu'));
  }));
  test('an admin writing the same Node is not held to the node\'s bounds', () => withNodes(async (kit) => {
    await kit.admin.create('nodes', { ...agentNode('big'), status: { capacity: { cpu: '100000' }, allocatable: { cpu: '100000' } } });
  }));
});
