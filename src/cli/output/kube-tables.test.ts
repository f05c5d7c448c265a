import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import { podTable } from '../../api/printers/pod.js';
import { nodeTable, nodeStatus } from '../../api/printers/node.js';
import { kindTable } from './kind-table.js';
import { renderTable, kubeStyle } from './table.js';
import { colorEnabled, statusColor } from './color.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number): string => new Date(now - s * 1000).toISOString();

const pod: Pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web', namespace: 'prod', creationTimestamp: ago(300) },
  spec: { nodeName: 'n1', containers: [{ name: 'web', image: 'nginx' }] },
  status: { phase: 'Running', podIP: '10.0.0.5', containerStatuses: [{ name: 'web', image: 'nginx', ready: true, restartCount: 0, state: { running: {} } }] },
};
const node: Node = {
  apiVersion: 'v1', kind: 'Node',
  metadata: { name: 'n1', creationTimestamp: ago(7200), labels: { 'node-role.kubernetes.io/edge': '' } },
  spec: { unschedulable: true },
  status: {
    conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.0.2.1' }],
    nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'runc://1.1.5', kubeletVersion: 'lantern/0.1.0' },
  },
};

describe('kubectl tables', () => {
  test('pods, -o wide, -A', () => {
    const t = kindTable(podTable, [pod], { wide: true, namespaces: true, labels: false }, now);
    assert.equal(renderTable(t.header, t.rows, kubeStyle), [
      'NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   IP         NODE',
      'prod        web    1/1     Running   0          5m    10.0.0.5   n1',
      '',
    ].join('\n'));
  });
  test('pods -o wide: a podIP with a line break stays one row, escaped', () => {
    const forged: Pod = { ...pod, status: { ...pod.status, podIP: '10.0.0.5\nprod        admin  1/1     Running   0          5m    10.0.0.6   n1' } };
    const text = renderTable(kindTable(podTable, [forged], { wide: true, namespaces: true, labels: false }, now).header, kindTable(podTable, [forged], { wide: true, namespaces: true, labels: false }, now).rows, kubeStyle);
    assert.equal(text.split('\n').length, 3, 'header, one row, the final newline');
    assert.match(text, /10\.0\.0\.5\\nprod/);
  });
  test('nodes, -o wide, roles and SchedulingDisabled', () => {
    const t = kindTable(nodeTable, [node], { wide: true, namespaces: false, labels: false }, now);
    assert.deepEqual(t.header, ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', 'INTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME']);
    assert.deepEqual(t.rows[0], ['n1', 'Ready,SchedulingDisabled', 'edge', '120m', 'lantern/0.1.0', '192.0.2.1', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'runc://1.1.5']);
  });
  test('node status without a Ready condition is Unknown; False is NotReady', () => {
    assert.equal(nodeStatus({ ...node, spec: {}, status: {} }), 'Unknown');
    assert.equal(nodeStatus({ ...node, spec: {}, status: { conditions: [{ type: 'Ready', status: 'False' }] } }), 'NotReady');
    assert.equal(nodeStatus({ ...node, spec: {}, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }), 'NotReady', 'a node that stopped heartbeating, as kubectl shows it');
  });
});

describe('colour', () => {
  test('only on a terminal without NO_COLOR', () => {
    assert.equal(colorEnabled({ isTTY: true }, {}), true);
    assert.equal(colorEnabled({ isTTY: false }, {}), false);
    assert.equal(colorEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(colorEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
  });
  test('status words', () => {
    assert.equal(statusColor('Running'), 'green');
    assert.equal(statusColor('Up 5 seconds'), 'green');
    assert.equal(statusColor('CrashLoopBackOff'), 'red');
    assert.equal(statusColor('Exited (1) 3 seconds ago'), 'red');
    assert.equal(statusColor('Exited (0) 3 seconds ago'), 'yellow');
    assert.equal(statusColor('Pending'), 'yellow');
  });
});
