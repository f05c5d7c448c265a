import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import { parseArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { runSpec } from './flags.js';
import { buildRunPod } from './pod.js';
import { csvFields, neverFits, parseGpus, resolveAllGpus } from './gpus.js';

const build = (...argv: string[]): Pod => buildRunPod(parseArgs(runSpec, argv), { env: {}, cwd: '/', readFile: () => '', generateName: () => 'gpu-test' });
const limits = (p: Pod): Record<string, string | number> | undefined => p.spec.containers[0]?.resources?.limits;
const node = (name: string, gpus: number): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { capacity: { 'nvidia.com/gpu': String(gpus) }, allocatable: { 'nvidia.com/gpu': String(gpus) } } } as Node);

describe("--gpus, Docker's parser", () => {
  const table: Array<{ value: string; count: number; ids?: string[]; caps?: string[] }> = [
    { value: 'all', count: -1 },
    { value: '2', count: 2 },
    { value: 'count=3', count: 3 },
    { value: 'count=all', count: -1 },
    { value: '"device=0,2"', count: 0, ids: ['0', '2'] },
    { value: 'device=GPU-3a5f7c1e-0000-4e6b-9c55-aa0000000001', count: 0, ids: ['GPU-3a5f7c1e-0000-4e6b-9c55-aa0000000001'] },
    { value: 'all,"capabilities=compute,utility"', count: -1, caps: ['compute', 'utility'] },
    { value: 'driver=nvidia,1', count: 1 },
  ];
  for (const t of table) {
    test(`${t.value}`, () => {
      const r = parseGpus(t.value);
      assert.equal(r.count, t.count);
      assert.deepEqual(r.deviceIds, t.ids ?? []);
      assert.deepEqual(r.capabilities, t.caps ?? []);
    });
  }
  const bad: Array<[string, RegExp]> = [
    ['device=0,2', /cannot set both Count and DeviceIDs/], // unquoted, the 2 is a count, as in Docker
    ['gpus', /unexpected key 'gpus'/],
    ['count=two', /invalid syntax/],
    ['2,"device=1"', /cannot set both Count and DeviceIDs/],
    ['de"vice=1', /bare " in non-quoted-field/],
    ['"device=1', /missing "/],
    ['driver=amd,1', /only nvidia/],
  ];
  for (const [value, re] of bad) test(`refuses ${value}`, () => assert.throws(() => parseGpus(value), (e: unknown) => e instanceof UsageError && re.test(e.message)));
  test('CSV with doubled quotes', () => assert.deepEqual(csvFields('"a""b",c'), ['a"b', 'c']));
});

describe('lcctl run GPU and device flags on the Pod', () => {
  test('--gpus 2 asks resources.limits nvidia.com/gpu: 2 and names no GPU', () => {
    const p = build('--gpus', '2', 'busybox');
    assert.equal(limits(p)?.['nvidia.com/gpu'], '2');
    assert.equal(p.metadata.annotations?.['lantern.dev/gpu-devices'], undefined);
  });
  test('--gpus \'"device=0,2"\' asks two and names them; capabilities go to their annotation', () => {
    const p = build('--gpus', '"device=0,2","capabilities=utility"', 'busybox');
    assert.equal(limits(p)?.['nvidia.com/gpu'], '2');
    assert.equal(p.metadata.annotations?.['lantern.dev/gpu-devices'], '0,2');
    assert.equal(p.metadata.annotations?.['lantern.dev/gpu-capabilities'], 'utility');
  });
  test('--gpus all takes the GPUs of the node with the most; a pod no node could hold is known', () => {
    const p = build('--gpus', 'all', '--memory', '64m', 'busybox');
    assert.equal(p.metadata.annotations?.['lantern.dev/gpu-devices'], 'all');
    resolveAllGpus(p, [node('a', 2), node('b', 4)]);
    assert.deepEqual(limits(p), { memory: '64Mi', 'nvidia.com/gpu': '4' });
    assert.equal(neverFits(p, [node('a', 2), node('b', 4)]), false);
    assert.equal(neverFits(build('--gpus', '5', 'busybox'), [node('a', 2), node('b', 4)]), true);
    assert.equal(neverFits(build('busybox'), []), false, 'a pod without devices is never refused this way');
  });
  test('--device host paths, a CDI name and --device-cgroup-rule become annotations', () => {
    const p = build('--device', '/dev/ttyUSB0', '--device', '/dev/fuse:/dev/f:r', '--device', 'vendor.com/fpga=f0', '--device-cgroup-rule', 'c 188:* rwm', 'busybox');
    assert.equal(p.metadata.annotations?.['lantern.dev/host-devices'], '/dev/ttyUSB0:/dev/ttyUSB0:rwm,/dev/fuse:/dev/f:r');
    assert.equal(p.metadata.annotations?.['cdi.k8s.io/lcctl-run'], 'vendor.com/fpga=f0');
    assert.equal(p.metadata.annotations?.['lantern.dev/device-cgroup-rules'], 'c 188:* rwm');
  });
  test('bad --device and --device-cgroup-rule values are usage errors', () => {
    assert.throws(() => build('--device', 'dev/x', 'busybox'), /must be an absolute path/);
    assert.throws(() => build('--device', '/dev/x:/dev/y:rwx', 'busybox'), /permissions/);
    assert.throws(() => build('--device-cgroup-rule', 'c 1 rwm', 'busybox'), /invalid device cgroup rule/);
  });
});
