import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Annotations, type Container, type Pod } from '../../api/pod.js';
import type { ImageRecord, ImageRunConfig } from '../../image/types.js';
import { limitsFor, mergeEnv, processArgs } from './container-config.js';

function image(config: ImageRunConfig): ImageRecord {
  return { names: ['docker.io/library/app:1'], digest: 'sha256:d', id: 'sha256:i', sizeBytes: 1, architecture: 'amd64', os: 'linux', config, diffIds: [] };
}
const container = (c: Partial<Container> = {}): Container => ({ name: 'c', image: 'app:1', ...c });
function pod(annotations?: Record<string, string>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec: { containers: [container()] } };
}

describe('processArgs (Kubernetes command/args vs image Entrypoint/Cmd)', () => {
  const img = image({ Entrypoint: ['/entry', '-v'], Cmd: ['serve', '--port=80'] });
  const cases: [string, Partial<Container>, ImageRecord, string[]][] = [
    ['neither: Entrypoint then Cmd', {}, img, ['/entry', '-v', 'serve', '--port=80']],
    ['args only: Entrypoint then args (Cmd dropped)', { args: ['run'] }, img, ['/entry', '-v', 'run']],
    ['command only: command alone (Entrypoint and Cmd dropped)', { command: ['/bin/sh'] }, img, ['/bin/sh']],
    ['command and args: command then args', { command: ['/bin/sh', '-c'], args: ['echo hi'] }, img, ['/bin/sh', '-c', 'echo hi']],
    ['an empty command list counts as none', { command: [], args: ['x'] }, img, ['/entry', '-v', 'x']],
    ['an empty args list counts as none', { args: [] }, img, ['/entry', '-v', 'serve', '--port=80']],
    ['image with Cmd only', {}, image({ Cmd: ['sh'] }), ['sh']],
    ['image with Cmd only, args given', { args: ['top'] }, image({ Cmd: ['sh'] }), ['top']],
    ['image with Entrypoint only', {}, image({ Entrypoint: ['/app'] }), ['/app']],
    ['image with nothing and no command: nothing to run', {}, image({}), []],
  ];
  for (const [what, c, i, want] of cases) test(what, () => assert.deepEqual(processArgs(container(c), i), want));
});

describe('mergeEnv', () => {
  test('image Env first, then extra, then the container env; overrides keep the first position', () => {
    const img = image({ Env: ['PATH=/app/bin:/bin', 'LANG=C', 'MODE=prod', 'EQ=a=b'] });
    const env = mergeEnv(container({ env: [{ name: 'MODE', value: 'dev' }, { name: 'NEW', value: '1' }, { name: 'EMPTY' }] }), img, { HOSTNAME: 'web' });
    assert.deepEqual(env, ['PATH=/app/bin:/bin', 'LANG=C', 'MODE=dev', 'EQ=a=b', 'HOSTNAME=web', 'NEW=1', 'EMPTY=']);
  });

  test('a default PATH is added when the image has none', () => {
    assert.deepEqual(mergeEnv(container(), image({})), ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  });

  test('the container env overrides extra values and PATH', () => {
    const env = mergeEnv(container({ env: [{ name: 'HOSTNAME', value: 'mine' }, { name: 'PATH', value: '/x' }] }), image({}), { HOSTNAME: 'web' });
    assert.deepEqual(env, ['PATH=/x', 'HOSTNAME=mine']);
  });

  test('malformed image entries without a name are skipped', () => {
    assert.deepEqual(mergeEnv(container(), image({ Env: ['=x', 'NOEQUALS', 'A=1'] })), ['A=1', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  });
});

describe('limitsFor', () => {
  const cases: [string, Container['resources'], Record<string, string> | undefined, object][] = [
    ['no resources: no limits', undefined, undefined, {}],
    ['cpu limit 0.5: quota 50000 per 100000 period, shares from the limit', { limits: { cpu: '0.5' } }, undefined, { cpuPeriod: 100_000, cpuQuota: 50_000, cpuShares: 512 }],
    ['cpu limit 2 with request 250m', { requests: { cpu: '250m' }, limits: { cpu: '2' } }, undefined, { cpuPeriod: 100_000, cpuQuota: 200_000, cpuShares: 256 }],
    ['a request alone gives shares only', { requests: { cpu: '1' } }, undefined, { cpuShares: 1024 }],
    ['a tiny cpu limit keeps the 1 ms minimum quota and 2 shares', { limits: { cpu: '1m' } }, undefined, { cpuPeriod: 100_000, cpuQuota: 1000, cpuShares: 2 }],
    ['memory limit in bytes', { limits: { memory: '64Mi' } }, undefined, { memoryBytes: 67_108_864 }],
    ['memory in decimal units', { limits: { memory: '1G' } }, undefined, { memoryBytes: 1_000_000_000 }],
    ['a memory request alone sets no limit', { requests: { memory: '1Gi' } }, undefined, {}],
    ['pids annotation', undefined, { [Annotations.pidsLimit]: '100' }, { pidsLimit: 100 }],
    ['a negative pids annotation is ignored', undefined, { [Annotations.pidsLimit]: '-1' }, {}],
    ['a zero pids annotation is ignored', undefined, { [Annotations.pidsLimit]: '0' }, {}],
  ];
  for (const [what, resources, annotations, want] of cases) {
    test(what, () => assert.deepEqual(limitsFor(pod(annotations), container(resources ? { resources } : {})), want));
  }
});
