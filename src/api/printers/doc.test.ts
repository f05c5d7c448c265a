import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Doc, describeTime } from './doc.js';
import type { Pod } from '../pod.js';
import type { Event } from '../schema/event.js';
import { describeText } from './describe.js';
import { podDescriber } from './pod-describe.js';

const describePod = (pod: Pod, events: Event[] = []): string => describeText(podDescriber, pod, { related: { events }, now: Date.now() });

test('describe documents align runs of key/value lines and keep section headers plain', () => {
  const text = new Doc().kv(0, 'Name', 'web').kv(0, 'Namespace', 'default').kv(0, 'Containers').kv(1, 'web').kv(2, 'Image', 'busybox').kv(2, 'Restart Count', '0').render();
  assert.equal(text, 'Name:       web\nNamespace:  default\nContainers:\n  web:\n    Image:          busybox\n    Restart Count:  0\n');
});

test('multi-line values continue under the value column', () => {
  assert.equal(new Doc().map(0, 'Labels', { b: '2', a: '1' }).render(), 'Labels:  a=1\n         b=2\n');
});

test('a value with a line break or an escape sequence stays on its line, escaped; a list is one item a line', () => {
  const text = new Doc().kv(0, 'IP', '10.0.0.9\nNode:  evil').kv(0, 'Command', ['sh', '-c']).row(1, 'Ready', '\u001b[2J').text(0, 'Events:\r<none>').render();
  assert.equal(text, 'IP:       10.0.0.9\\nNode:  evil\nCommand:  sh\n          -c\n  Ready   \\x1b[2J\nEvents:\\r<none>\n');
});

test('describe pod escapes what a node wrote into the status (message, reason, IP)', () => {
  const text = describePod({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'n1', containers: [{ name: 'web', image: 'busybox' }] },
    status: { phase: 'Running', podIP: '10.0.0.9\nIP: 6.6.6.6', message: 'ok\u001b]0;title\u0007', containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'busybox', state: { waiting: { reason: 'X', message: 'line1\nline2' } } }] },
  });
  assert.match(text, /^IP: +10\.0\.0\.9\\nIP: 6\.6\.6\.6$/m);
  assert.doesNotMatch(text, /^IP: +6\.6\.6\.6/m);
  assert.match(text, /^Message: +ok\\x1b\]0;title\\x07$/m);
  assert.match(text, /Message: +line1\\nline2$/m);
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f]/);
});

test('describe pod shows the sections users look for', () => {
  const text = describePod({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'web', image: 'busybox', args: ['sleep', '9'], resources: { limits: { cpu: '500m' } }, volumeMounts: [{ name: 'd', mountPath: '/d', readOnly: true }] }], volumes: [{ name: 'd', hostPath: { path: '/srv' } }] },
    status: { phase: 'Failed', podIP: '10.0.0.9', containerStatuses: [{ name: 'web', ready: false, restartCount: 1, image: 'busybox', state: { terminated: { exitCode: 2, reason: 'Error' } } }], conditions: [{ type: 'Ready', status: 'False' }] },
  });
  for (const want of [/^Name: +web$/m, /^Node: +n1$/m, /^Status: +Failed$/m, /^IP: +10\.0\.0\.9$/m, /^ {4}State: +Terminated$/m, /^ {6}Reason: +Error$/m, /^ {6}Exit Code: +2$/m,
    /^ {6}cpu: +500m$/m, /^ {6}\/d from d \(ro\)$/m, /^Conditions:$/m, /^ {2}Ready +False$/m, /^ {4}Path: +\/srv$/m]) {
    assert.match(text, want);
  }
});

test('describe times look like kubectl (RFC 1123 with numeric zone)', () => {
  assert.equal(describeTime('2024-01-02T15:04:05Z'), 'Tue, 02 Jan 2024 15:04:05 +0000');
});
