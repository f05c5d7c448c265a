import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../api/schema/event.js';
import { Doc } from '../../api/printers/doc.js';
import { eventAge, eventTable, eventsSection } from '../../api/printers/events.js';
import { priorityClassTable } from '../../api/printers/scheduling.js';
import { kindTable } from './kind-table.js';

const now = Date.parse('2026-01-01T12:00:00Z');
const ev = (name: string, extra: Partial<Event>): Event => ({
  apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, type: 'Normal', count: 1, source: { component: 'default-scheduler' }, ...extra,
});
const plain = { wide: false, namespaces: false, labels: false };

describe('event tables', () => {
  test('age: the last time alone, or "(xN over FIRST)" for repeats', () => {
    assert.equal(eventAge(ev('a', { lastTimestamp: '2026-01-01T11:59:30Z' }), now), '30s');
    assert.equal(eventAge(ev('b', { count: 4, firstTimestamp: '2026-01-01T11:50:00Z', lastTimestamp: '2026-01-01T11:59:00Z' }), now), '60s (x4 over 10m)');
  });

  test('get events: kubectl columns, oldest first, OBJECT as kind/name; -A adds NAMESPACE', () => {
    const events = [
      ev('late', { reason: 'Scheduled', message: 'Successfully assigned default/web to n1', lastTimestamp: '2026-01-01T11:59:50Z' }),
      ev('early', { type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.', lastTimestamp: '2026-01-01T11:59:00Z' }),
    ];
    const t = kindTable(eventTable, events, plain, now);
    assert.deepEqual(t.header, ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.deepEqual(t.rows, [
      ['60s', 'Warning', 'FailedScheduling', 'pod/web', '0/1 nodes are available: 1 Insufficient cpu.'],
      ['10s', 'Normal', 'Scheduled', 'pod/web', 'Successfully assigned default/web to n1'],
    ]);
    assert.equal(kindTable(eventTable, events, { ...plain, namespaces: true }, now).rows[0]?.[0], 'default');
  });

  test('get priorityclasses: NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY', () => {
    const t = kindTable(priorityClassTable, [{ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high', creationTimestamp: '2026-01-01T11:00:00Z' }, value: 1000, globalDefault: true }], plain, now);
    assert.deepEqual(t.header, ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    assert.deepEqual(t.rows, [['high', '1000', 'true', '60m', 'PreemptLowerPriority']]);
  });

  test('describe: an aligned Events table, or <none>', () => {
    const empty = new Doc();
    eventsSection(empty, [], now);
    assert.equal(empty.render(), 'Events:  <none>\n');
    const doc = new Doc();
    eventsSection(doc, [ev('x', { type: 'Warning', reason: 'FailedScheduling', message: 'no', lastTimestamp: '2026-01-01T11:59:55Z' })], now);
    assert.equal(doc.render(), [
      'Events:',
      '  Type     Reason            Age   From               Message',
      '  ----     ------            ----  ----               -------',
      '  Warning  FailedScheduling  5s    default-scheduler  no',
      '',
    ].join('\n'));
  });
});
