import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../api/pod.js';
import type { NodeSelectorRequirement } from '../../api/schema/pod.js';
import { parseArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { runSpec } from './flags.js';
import { buildRunPod, type RunEnv } from './pod.js';

const env: RunEnv = { env: {}, cwd: '/', readFile: () => { throw new Error('no files'); }, generateName: () => 'eager-turing' };
const build = (...argv: string[]): Pod => buildRunPod(parseArgs(runSpec, argv), env);
const required = (p: Pod): NodeSelectorRequirement[] | undefined =>
  p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.flatMap((t) => t.matchExpressions ?? []);

describe('run --constraint -> required node affinity', () => {
  test('without --constraint there is no affinity', () => assert.equal(build('x').spec.affinity, undefined));

  const cases: { what: string; argv: string[]; want: NodeSelectorRequirement[] }[] = [
    { what: '== is In', argv: ['--constraint', 'node.labels.zone==east'], want: [{ key: 'zone', operator: 'In', values: ['east'] }] },
    { what: '!= is NotIn', argv: ['--constraint', 'node.labels.disk!=hdd'], want: [{ key: 'disk', operator: 'NotIn', values: ['hdd'] }] },
    { what: 'node.hostname is kubernetes.io/hostname', argv: ['--constraint=node.hostname==edge-1'], want: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['edge-1'] }] },
    { what: 'node.platform.os/arch', argv: ['--constraint', 'node.platform.os==linux', '--constraint', 'node.platform.arch!=arm64'], want: [
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'kubernetes.io/arch', operator: 'NotIn', values: ['arm64'] }] },
    { what: 'prefixed label keys and spaces around the operator', argv: ['--constraint', 'node.labels.topology.kubernetes.io/zone == a'], want: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] },
    { what: 'repeated constraints are ANDed in one term', argv: ['--constraint', 'node.labels.zone==east', '--constraint', 'node.labels.zone!=east-2', '--constraint', 'node.hostname!=n3'], want: [
      { key: 'zone', operator: 'In', values: ['east'] }, { key: 'zone', operator: 'NotIn', values: ['east-2'] }, { key: 'kubernetes.io/hostname', operator: 'NotIn', values: ['n3'] }] },
  ];
  for (const c of cases) {
    test(c.what, () => {
      const pod = build(...c.argv, 'busybox');
      assert.deepEqual(required(pod), c.want);
      assert.equal(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.length, 1);
    });
  }

  const invalid: { raw: string; error: RegExp }[] = [
    { raw: 'node.labels.zone=east', error: /invalid argument "node.labels.zone=east" for "--constraint" flag: expected node.labels.KEY==VALUE/ },
    { raw: 'node.labels.zone==', error: /the value is empty/ },
    { raw: 'node.role==manager', error: /unsupported attribute "node.role"/ },
    { raw: 'engine.labels.a==b', error: /unsupported attribute "engine.labels.a"/ },
    { raw: '==x', error: /for "--constraint" flag/ },
  ];
  for (const c of invalid) {
    test(`rejects ${c.raw} as a usage error (exit 125)`, () => assert.throws(() => build('--constraint', c.raw, 'x'), (e: unknown) => e instanceof UsageError && c.error.test(e.message)));
  }
});
