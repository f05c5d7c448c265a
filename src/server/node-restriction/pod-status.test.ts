import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod, PodStatus } from '../../api/pod.js';
import { agentNode, apiError, boundPod, withNodes, type Kit } from './testkit.js';

/** A status as the agent writes it for a running one-container pod. */
function agentStatus(podIP = '10.88.1.7'): PodStatus {
  const at = '2024-05-01T11:00:00.000Z';
  return {
    phase: 'Running', startTime: at, hostIP: '192.0.2.10', podIP, podIPs: [{ ip: podIP }],
    conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: at }, { type: 'Initialized', status: 'True', lastTransitionTime: at }, { type: 'Ready', status: 'True', lastTransitionTime: at }],
    containerStatuses: [{ name: 'c', state: { running: { startedAt: at } }, ready: true, restartCount: 0, image: 'busybox', imageID: 'sha256:abc', containerID: 'lantern://0123abcd', started: true,
      lastState: { terminated: { exitCode: 137, reason: 'Error', containerID: 'lantern://0122', startedAt: at, finishedAt: at } } }],
  };
}

async function setUp(kit: Kit, podCIDR?: string): Promise<Pod> {
  await kit.as('edge-1').create('nodes', agentNode('edge-1'));
  if (podCIDR !== undefined) {
    const n = await kit.admin.get<Node>('nodes', 'edge-1');
    await kit.admin.update('nodes', { ...n, spec: { podCIDR } });
  }
  return kit.admin.create('pods', boundPod('web', 'edge-1'));
}

const write = async (kit: Kit, writer: 'node' | 'admin', status: PodStatus): Promise<Pod> => {
  const pod = await kit.admin.get<Pod>('pods', 'web', 'default');
  return (writer === 'node' ? kit.as('edge-1') : kit.admin).updateStatus('pods', { ...pod, status });
};

describe('pod status: every writer (the Pod kind validates status)', () => {
  const withContainer = (s: PodStatus, cs: object): PodStatus => ({ ...s, containerStatuses: [{ ...s.containerStatuses![0]!, ...cs }] });
  const bad: [string, (s: PodStatus) => PodStatus, string, RegExp][] = [
    ['a podIP with a line break and a host name', (s) => ({ ...s, podIP: '10.88.1.7\n6.6.6.6 pypi.org', podIPs: undefined }), 'status.podIP', /must be a valid IP address/],
    ['a host name as podIP', (s) => ({ ...s, podIP: 'pypi.org', podIPs: [{ ip: 'pypi.org' }] }), 'status.podIP', /valid IP address/],
    ['a podIPs entry with a line break', (s) => ({ ...s, podIPs: [{ ip: '10.88.1.7' }, { ip: 'fd00::1\n' }] }), 'status.podIPs[1].ip', /valid IP address/],
    ['podIPs[0] that is not podIP', (s) => ({ ...s, podIPs: [{ ip: '10.88.1.8' }] }), 'status.podIPs[0].ip', /must match status.podIP/],
    ['a hostIP with an IPv6 zone', (s) => ({ ...s, hostIP: 'fe80::1%eth0' }), 'status.hostIP', /valid IP address/],
    ['a reason that is not one CamelCase word', (s) => withContainer(s, { state: { waiting: { reason: 'Crash\nLoop' } } }), 'status.containerStatuses[0].state.waiting.reason', /CamelCase word/],
    ['a reason of 200 characters', (s) => ({ ...s, reason: `A${'b'.repeat(199)}` }), 'status.reason', /no more than 128 characters/],
    ['a container message over 4096 characters', (s) => withContainer(s, { state: { waiting: { reason: 'ErrImagePull', message: 'x'.repeat(5000) } } }), 'status.containerStatuses[0].state.waiting.message', /no more than 4096/],
    ['a state with a field it does not have', (s) => withContainer(s, { state: { running: { startedAt: '2024-05-01T11:00:00Z', exitCode: 1 } } }), 'status.containerStatuses[0].state.running.exitCode', /unknown field/],
    ['two states at once', (s) => withContainer(s, { state: { running: {}, terminated: { exitCode: 0 } } }), 'status.containerStatuses[0].state', /more than one state/],
    ['a time that is not RFC 3339', (s) => withContainer(s, { state: { running: { startedAt: 'yesterday' } } }), 'status.containerStatuses[0].state.running.startedAt', /RFC 3339/],
    ['a container ID with an escape sequence', (s) => withContainer(s, { containerID: 'lantern://\u001b[2J' }), 'status.containerStatuses[0].containerID', /control characters/],
    ['a condition with an unknown field', (s) => ({ ...s, conditions: [{ type: 'Ready', status: 'True', hacked: 'yes' } as never] }), 'status.conditions[0].hacked', /unknown field/],
    ['a condition type twice', (s) => ({ ...s, conditions: [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'False' }] }), 'status.conditions[1].type', /duplicate/],
    ['100 conditions', (s) => ({ ...s, conditions: Array.from({ length: 100 }, (_, i) => ({ type: `C${i}`, status: 'True' as const })) }), 'status.conditions', /at most 64 items/],
    ['a negative restart count', (s) => withContainer(s, { restartCount: -1 }), 'status.containerStatuses[0].restartCount', /between 0 and/],
  ];
  for (const [what, change, field, message] of bad) {
    for (const writer of ['node', 'admin'] as const) {
      test(`refuses ${what} from the ${writer} (Invalid on ${field})`, () => withNodes(async (kit) => {
        await setUp(kit);
        await assert.rejects(write(kit, writer, change(agentStatus())), apiError('Invalid', message, field));
      }));
    }
  }
  test('accepts the status the agent writes, from the node', () => withNodes(async (kit) => {
    await setUp(kit);
    const pod = await write(kit, 'node', agentStatus());
    assert.equal(pod.status?.podIP, '10.88.1.7');
  }));
});

describe('pod status: what only the pod\'s node is held to', () => {
  test('statuses only for containers of the pod\'s spec (Forbidden)', () => withNodes(async (kit) => {
    await setUp(kit);
    const s = agentStatus();
    await assert.rejects(write(kit, 'node', { ...s, containerStatuses: [...s.containerStatuses!, { ...s.containerStatuses![0]!, name: 'ghost' }] }),
      apiError('Forbidden', /no container "ghost"/, 'status.containerStatuses[1].name'));
  }));
  test('pod IPs inside the node\'s pod range when the Node records one (spec.podCIDR)', () => withNodes(async (kit) => {
    await setUp(kit, '10.88.1.0/24');
    await assert.rejects(write(kit, 'node', agentStatus('10.99.0.5')), apiError('Forbidden', /outside this node's pod range 10\.88\.1\.0\/24/, 'status.podIP'));
    await assert.rejects(write(kit, 'node', agentStatus('fd00::5')), apiError('Forbidden', undefined, 'status.podIP'));
    assert.equal((await write(kit, 'node', agentStatus('10.88.1.200'))).status?.podIP, '10.88.1.200');
  }));
  test('another node may not write the status at all', () => withNodes(async (kit) => {
    await setUp(kit);
    const pod = await kit.admin.get<Pod>('pods', 'web', 'default');
    await assert.rejects(kit.as('edge-2').updateStatus('pods', { ...pod, status: agentStatus() }), apiError('Forbidden'));
  }));
});
