import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { imageRows, dockerSize, splitName } from './rows.js';

describe('images rows', () => {
  test('names split as Docker shows them', () => {
    assert.deepEqual(splitName('docker.io/library/busybox:latest'), { repository: 'busybox', tag: 'latest' });
    assert.deepEqual(splitName('registry.local:5000/team/app:v2'), { repository: 'registry.local:5000/team/app', tag: 'v2' });
    assert.deepEqual(splitName('docker.io/grafana/grafana@sha256:abc'), { repository: 'grafana/grafana', tag: '<none>' });
  });
  test('sizes in decimal units with 3 significant digits', () => {
    assert.equal(dockerSize(4_261_000), '4.26MB');
    assert.equal(dockerSize(128_000), '128kB');
    assert.equal(dockerSize(999), '999B');
    assert.equal(dockerSize(1_500_000_000), '1.5GB');
  });
  test('one row per name, merged across nodes, untagged images as <none>', () => {
    const base = { digest: 'sha256:d', sizeBytes: 1000, architecture: 'amd64', os: 'linux', createdAt: '2024-05-01T11:00:00Z' };
    const rows = imageRows([
      { ...base, node: 'n1', names: ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.36'], id: 'sha256:0123456789abcdef0123' },
      { ...base, node: 'n2', names: ['docker.io/library/busybox:latest'], id: 'sha256:0123456789abcdef0123' },
      { ...base, node: 'n1', names: [], id: 'sha256:ffffffffffffffff' },
    ], Date.parse('2024-05-01T12:00:00Z'));
    assert.deepEqual(rows.map((r) => [r.Repository, r.Tag, r.ID, r.Nodes, r.CreatedSince]), [
      ['<none>', '<none>', 'ffffffffffff', 'n1', 'About an hour ago'],
      ['busybox', '1.36', '0123456789ab', 'n1', 'About an hour ago'],
      ['busybox', 'latest', '0123456789ab', 'n1,n2', 'About an hour ago'],
    ]);
  });
});
