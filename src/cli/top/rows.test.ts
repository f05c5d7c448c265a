import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { nodeRows, podRows } from './rows.js';

describe('lcctl top rows', () => {
  test('nodes: millicores rounded up, Mi rounded down, percentages of allocatable', () => {
    const rows = nodeRows(
      [{ metadata: { name: 'b' }, usage: { cpu: '250000001n', memory: '1048575Ki' } }, { metadata: { name: 'a' }, usage: { cpu: '0n', memory: '0Ki' } }],
      new Map([['b', { cpu: '2', memory: '4Gi' }]]),
    );
    assert.deepEqual(rows, [
      ['a', '0m', '<unknown>', '0Mi', '<unknown>'],
      ['b', '251m', '12%', '1023Mi', '24%'],
    ]);
  });

  test('pods: containers are summed; -A adds the namespace first', () => {
    const pods = [
      { metadata: { name: 'web', namespace: 'prod' }, containers: [{ name: 'a', usage: { cpu: '999999999n', memory: '2048Ki' } }, { name: 'b', usage: { cpu: '1n', memory: '1024Ki' } }] },
      { metadata: { name: 'burn', namespace: 'default' }, containers: [{ name: 'c', usage: { cpu: '1000000000n', memory: '512Ki' } }] },
    ];
    assert.deepEqual(podRows(pods, false), [['burn', '1000m', '0Mi'], ['web', '1001m', '3Mi']]);
    assert.deepEqual(podRows(pods, true)[1], ['prod', 'web', '1001m', '3Mi']);
  });
});
