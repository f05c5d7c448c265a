import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import { psRows, parseFilters } from './ps-rows.js';
import { psTable } from '../commands/ps.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (sec: number): string => new Date(now - sec * 1000).toISOString();

function pod(name: string, uid: string, state: 'running' | 'exited', created: number, labels?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid, creationTimestamp: ago(created), ...(labels ? { labels } : {}) },
    spec: { containers: [{ name, image: 'busybox:latest', args: ['sleep', '60'], ports: [{ containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1', protocol: 'TCP' }] }] },
    status: { containerStatuses: [{ name, ready: state === 'running', restartCount: 0, image: 'busybox', state: state === 'running' ? { running: { startedAt: ago(5) } } : { terminated: { exitCode: 0, finishedAt: ago(3) } } }] },
  };
}

const pods = [
  pod('old', 'aaaaaaaa-0000-0000-0000-000000000000', 'running', 100, { app: 'db' }),
  pod('new', 'bbbbbbbb-0000-0000-0000-000000000000', 'running', 10, { app: 'web' }),
  pod('done', 'cccccccc-0000-0000-0000-000000000000', 'exited', 50),
];

describe('ps rows', () => {
  test('default shows running containers, newest first', () => {
    assert.deepEqual(psRows(pods, { all: false, noTrunc: false, filters: [] }, now).map((r) => r.Names), ['new', 'old']);
  });
  test('-a shows all', () => {
    assert.deepEqual(psRows(pods, { all: true, noTrunc: false, filters: [] }, now).map((r) => r.Names), ['new', 'done', 'old']);
  });
  test('status filter shows matching containers without -a', () => {
    assert.deepEqual(psRows(pods, { all: false, noTrunc: false, filters: parseFilters(['status=exited']) }, now).map((r) => r.Names), ['done']);
  });
  test('label filters (k and k=v) and name filters; same key ORs, different keys AND', () => {
    const run = (f: string[]): string[] => psRows(pods, { all: true, noTrunc: false, filters: parseFilters(f) }, now).map((r) => r.Names);
    assert.deepEqual(run(['label=app=web']), ['new']);
    assert.deepEqual(run(['label=app']), ['new', 'old']);
    assert.deepEqual(run(['name=ew', 'name=ol']), ['new', 'old']);
    assert.deepEqual(run(['name=o', 'status=running']), ['old']);
  });
  test('bad filters are usage errors', () => {
    assert.throws(() => parseFilters(['color=red']), /invalid filter 'color'/);
    assert.throws(() => parseFilters(['status=sleepy']), /invalid filter 'status=sleepy'/);
  });
  test('JSON keys as Docker writes them', () => {
    const [row] = psRows([pods[1]!], { all: true, noTrunc: false, filters: [] }, now);
    assert.deepEqual(Object.keys(row!).sort(), ['Command', 'CreatedAt', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Names', 'Namespace', 'Networks', 'Ports', 'RunningFor', 'State', 'Status']);
    assert.equal(row!.ID, 'bbbbbbbb0000');
    assert.equal(row!.State, 'running');
    assert.equal(row!.Labels, 'app=web');
    assert.equal(row!.CreatedAt, '2024-05-01 11:59:50 +0000 UTC');
  });
  test('--no-trunc shows the full ID', () => {
    assert.equal(psRows([pods[1]!], { all: true, noTrunc: true, filters: [] }, now)[0]!.ID, 'bbbbbbbb000000000000000000000000');
  });
  test('the table', () => {
    const text = psTable(psRows([pods[1]!], { all: true, noTrunc: false, filters: [] }, now), false, false);
    assert.equal(text, [
      'CONTAINER ID   IMAGE            COMMAND      CREATED          STATUS         PORTS                    NAMES',
      'bbbbbbbb0000   busybox:latest   "sleep 60"   10 seconds ago   Up 5 seconds   127.0.0.1:8080->80/tcp   new',
      '',
    ].join('\n'));
  });
});
