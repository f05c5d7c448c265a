import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workflowKind, findCycle } from './workflow.js';
import type { Workflow, WorkflowStep } from '../schema/workflow.js';

const tmpl = (cmd: string[] = ['true']): WorkflowStep['template'] => ({ template: { spec: { containers: [{ name: 'main', image: 'busybox', command: cmd }] } } });
const wf = (steps: Partial<WorkflowStep>[]): unknown => ({
  apiVersion: 'lantern.dev/v1', kind: 'Workflow', metadata: { name: 'w', namespace: 'default' },
  spec: { steps: steps.map((s) => ({ template: tmpl(), ...s })) },
});
const fields = (obj: unknown): string[] => workflowKind.validate(obj).map((c) => `${c.field}: ${c.message}`);

test('a valid DAG passes; restartPolicy defaults to Never', () => {
  const obj = wf([{ name: 'a' }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['a', 'b'], runPolicy: 'Always' }]);
  assert.deepEqual(fields(obj), []);
  workflowKind.applyDefaults(obj as Workflow);
  assert.equal((obj as Workflow).spec.steps[0]!.template.template.spec.restartPolicy, 'Never');
});

test('an unknown dependsOn name is named with its field path', () => {
  const f = fields(wf([{ name: 'a' }, { name: 'b', dependsOn: ['a', 'nope'] }]));
  assert.equal(f.length, 1);
  assert.match(f[0]!, /^spec\.steps\[1\]\.dependsOn\[1\]: Not found: "nope"/);
});

test('duplicate step names are refused', () => {
  const f = fields(wf([{ name: 'a' }, { name: 'a' }]));
  assert.ok(f.some((x) => x.startsWith('spec.steps[1].name: Duplicate value: "a"')), f.join('\n'));
});

test('a cycle is refused and its steps are named in order', () => {
  const f = fields(wf([{ name: 'a', dependsOn: ['c'] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['b'] }, { name: 'd' }]));
  assert.equal(f.length, 1);
  assert.match(f[0]!, /^spec\.steps: .*cycle: /);
  const cycle = findCycle([{ name: 'a', dependsOn: ['c'] }, { name: 'b', dependsOn: ['a'] }, { name: 'c', dependsOn: ['b'] }]);
  assert.equal(cycle?.length, 4);
  assert.equal(cycle?.[0], cycle?.[3]);
  assert.deepEqual(new Set(cycle), new Set(['a', 'b', 'c']));
  assert.equal(findCycle([{ name: 'a' }, { name: 'b', dependsOn: ['a'] }]), undefined);
});

test('a self-dependency is refused', () => {
  assert.ok(fields(wf([{ name: 'a', dependsOn: ['a'] }])).some((x) => x.startsWith('spec.steps[0].dependsOn[0]: a step cannot depend on itself')));
});

test('the step template is checked as a Job, under the step\'s path', () => {
  const obj = wf([{ name: 'a', template: { template: { spec: { containers: [{ name: 'main', image: '' }] } } } }]);
  assert.ok(fields(obj).some((x) => x.startsWith('spec.steps[0].template.')), fields(obj).join('\n'));
});

test('outputs need an explicit command (it is wrapped to print the file)', () => {
  const obj = wf([{ name: 'a', outputs: { fromFile: '/tmp/o' }, template: { template: { spec: { containers: [{ name: 'main', image: 'busybox' }] } } } }]);
  assert.ok(fields(obj).some((x) => x.startsWith('spec.steps[0].outputs: Required value')));
});

test('the spec cannot change after creation', () => {
  const a = wf([{ name: 'a' }]) as Workflow;
  const b = structuredClone(a);
  b.spec.steps[0]!.retries = 2;
  assert.equal(workflowKind.validateUpdate?.(a, b)[0]?.field, 'spec');
  assert.deepEqual(workflowKind.validateUpdate?.(a, structuredClone(a)), []);
});
