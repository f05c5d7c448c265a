import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, parseBytes, parseCpuMillis, parseQuantity } from './quantity.js';

describe('parseQuantity and its cpu / bytes views', () => {
  const cases: { text: string | number; base: number; cpuMillis: number; bytes: number }[] = [
    { text: '500m', base: 0.5, cpuMillis: 500, bytes: 1 },
    { text: '0.5', base: 0.5, cpuMillis: 500, bytes: 1 },
    { text: '2', base: 2, cpuMillis: 2000, bytes: 2 },
    { text: '250m', base: 0.25, cpuMillis: 250, bytes: 1 },
    { text: '64Mi', base: 64 * 2 ** 20, cpuMillis: 64 * 2 ** 20 * 1000, bytes: 67_108_864 },
    { text: '1Gi', base: 2 ** 30, cpuMillis: 2 ** 30 * 1000, bytes: 1_073_741_824 },
    { text: '1G', base: 1e9, cpuMillis: 1e12, bytes: 1_000_000_000 },
    { text: '100k', base: 1e5, cpuMillis: 1e8, bytes: 100_000 },
    { text: '1e3', base: 1000, cpuMillis: 1_000_000, bytes: 1000 },
    { text: '128974848', base: 128_974_848, cpuMillis: 128_974_848_000, bytes: 128_974_848 },
    { text: ' 2 ', base: 2, cpuMillis: 2000, bytes: 2 },
    { text: 3, base: 3, cpuMillis: 3000, bytes: 3 },
    { text: 0.1, base: 0.1, cpuMillis: 100, bytes: 1 },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.text)}`, () => {
      assert.equal(parseQuantity(c.text), c.base);
      assert.equal(parseCpuMillis(c.text), c.cpuMillis);
      assert.equal(parseBytes(c.text), c.bytes, 'bytes round up to whole bytes');
    });
  }

  test('1.5Gi is exactly one and a half binary gigabytes', () => {
    assert.equal(parseBytes('1.5Gi'), 1_610_612_736);
  });

  test('0.1 cpu is 100 millicores despite floating point', () => {
    assert.equal(parseCpuMillis('0.1'), 100);
    assert.equal(parseCpuMillis('100m'), 100);
  });

  const bad: (string | number)[] = ['', 'abc', '1.5.2', '12q', '1KiB', '1e', 'm', '64 Mi', Number.NaN, Number.POSITIVE_INFINITY];
  for (const text of bad) {
    test(`${JSON.stringify(String(text))} is not a quantity`, () => {
      assert.equal(parseQuantity(text), undefined);
      assert.equal(parseCpuMillis(text), undefined);
      assert.equal(parseBytes(text), undefined);
    });
  }
});

describe('formatBytes', () => {
  const cases: [number, string][] = [
    [0, '0B'],
    [1023, '1023B'],
    [1024, '1KiB'],
    [64 * 2 ** 20, '64MiB'],
    [3 * 2 ** 40, '3TiB'],
    [2 ** 50, '1024TiB'],
    [1536, '1.5KiB'],
    [1.5 * 2 ** 30, '1.5GiB'],
    [1.25 * 2 ** 20, '1.25MiB'],
  ];
  for (const [bytes, text] of cases) {
    test(`${bytes} -> ${text}`, () => {
      assert.equal(formatBytes(bytes), text, `formatBytes(${bytes}) should read ${text} (no trailing zero after the point)`);
    });
  }
});
