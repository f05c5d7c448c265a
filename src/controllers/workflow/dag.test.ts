import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StepPhase, Workflow, WorkflowStep } from '../../api/schema/workflow.js';
import { readySteps, settleSkips, workflowPhase } from './dag.js';
import { substitute, stepVars } from './substitute.js';
import { parseOutput, wrapForOutput } from './output.js';
import { stepJob, WorkflowLabels } from './step-job.js';

const tmpl: WorkflowStep['template'] = { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['echo', '{{param}}'], args: ['{{steps.a.output}}'] }] } } };
const s = (name: string, more: Partial<WorkflowStep> = {}): WorkflowStep => ({ name, template: tmpl, ...more });
const ph = (o: Record<string, StepPhase>): Map<string, StepPhase> => new Map(Object.entries(o));

test('roots are ready first; a step waits for every dependency to succeed', () => {
  const steps = [s('a'), s('b'), s('c', { dependsOn: ['a', 'b'] })];
  assert.deepEqual(readySteps(steps, ph({})), ['a', 'b']);
  assert.deepEqual(readySteps(steps, ph({ a: 'Succeeded', b: 'Running' })), []);
  assert.deepEqual(readySteps(steps, ph({ a: 'Succeeded', b: 'Succeeded' })), ['c']);
  assert.deepEqual(readySteps(steps, ph({ a: 'Succeeded', b: 'Succeeded', c: 'Running' })), []);
});

test('a failure skips its dependents, transitively, and fails the workflow once all is finished', () => {
  const steps = [s('a'), s('b', { dependsOn: ['a'] }), s('c', { dependsOn: ['b'] }), s('d')];
  const phases = ph({ a: 'Failed', d: 'Running' });
  assert.deepEqual(settleSkips(steps, phases), ['b', 'c']);
  assert.deepEqual(readySteps(steps, phases), []);
  assert.equal(workflowPhase(steps, phases), 'Running');
  phases.set('d', 'Succeeded');
  assert.equal(workflowPhase(steps, phases), 'Failed');
});

test('continueOnFailure: dependents run and the workflow still succeeds', () => {
  const steps = [s('a', { continueOnFailure: true }), s('b', { dependsOn: ['a'] })];
  const phases = ph({ a: 'Failed' });
  assert.deepEqual(settleSkips(steps, phases), []);
  assert.deepEqual(readySteps(steps, phases), ['b']);
  phases.set('b', 'Succeeded');
  assert.equal(workflowPhase(steps, phases), 'Succeeded');
});

test('an Always step runs after its dependencies finish whatever happened, even below a skip', () => {
  const steps = [s('a'), s('b', { dependsOn: ['a'] }), s('cleanup', { dependsOn: ['b'], runPolicy: 'Always' })];
  const phases = ph({ a: 'Running' });
  assert.deepEqual(readySteps(steps, phases), []);
  phases.set('a', 'Failed');
  assert.deepEqual(settleSkips(steps, phases), ['b']);
  assert.deepEqual(readySteps(steps, phases), ['cleanup']);
  phases.set('cleanup', 'Succeeded');
  assert.equal(workflowPhase(steps, phases), 'Failed');
});

test('the workflow is Pending before any step starts and Succeeded when all did', () => {
  const steps = [s('a'), s('b', { dependsOn: ['a'] })];
  assert.equal(workflowPhase(steps, ph({})), 'Pending');
  assert.equal(workflowPhase(steps, ph({ a: 'Succeeded', b: 'Succeeded' })), 'Succeeded');
});

test('substitution replaces known {{keys}} and leaves others as written', () => {
  const vars = stepVars('0.1', new Map([['prep', 'data-v2']]));
  assert.equal(substitute('lr={{param}} in={{ steps.prep.output }} x={{steps.other.output}}', vars), 'lr=0.1 in=data-v2 x={{steps.other.output}}');
});

test('the output wrapper keeps the command and its exit code, and the log parser takes the last marked text', () => {
  const cmd = wrapForOutput(['sh', '-c', 'echo hi > /o'], ['x']);
  assert.deepEqual(cmd.slice(0, 2), ['/bin/sh', '-c']);
  assert.match(cmd[2]!, /exit \$rc$/);
  assert.deepEqual(cmd.slice(3), ['lantern-step', 'sh', '-c', 'echo hi > /o', 'x']);
  const log = 'noise\n\n<<<lantern-workflow-output\nold\nlantern-workflow-output>>>\n\n<<<lantern-workflow-output\nline1\nline2\n\nlantern-workflow-output>>>\n';
  assert.equal(parseOutput(log), 'line1\nline2');
  assert.equal(parseOutput('\n<<<lantern-workflow-output\n\nlantern-workflow-output>>>\n'), '');
  assert.equal(parseOutput('no markers'), undefined);
});

test('a step Job: owned, labelled, param and outputs substituted, workspace mounted, pinned, output wrapped', () => {
  const wf: Workflow = { apiVersion: 'lantern.dev/v1', kind: 'Workflow', metadata: { name: 'w', namespace: 'ns', uid: 'u1' }, spec: { steps: [] } };
  const step = s('train', { withParams: ['0.1', '0.2'], outputs: { fromFile: '/workspace/out' } });
  const job = stepJob({ wf, step, attempt: 2, param: { index: 1, value: '0.2' }, vars: stepVars('0.2', new Map([['a', 'A']])), hostDir: '/data/ns/w', nodeName: 'n1' });
  assert.equal(job.metadata.name, 'w-train-2-1');
  assert.equal(job.metadata.ownerReferences?.[0]?.uid, 'u1');
  assert.equal(job.metadata.labels?.[WorkflowLabels.step], 'train');
  assert.equal(job.spec.template.metadata?.labels?.[WorkflowLabels.name], 'w');
  const c = job.spec.template.spec.containers[0]!;
  assert.deepEqual(c.command?.slice(4), ['echo', '0.2', 'A']);
  assert.equal(c.args, undefined);
  assert.deepEqual(c.env?.map((e) => `${e.name}=${e.value ?? ''}`), ['PARAM=0.2', 'LANTERN_OUTPUT_FILE=/workspace/out']);
  assert.deepEqual(c.volumeMounts, [{ name: 'workspace', mountPath: '/workspace' }]);
  assert.equal(job.spec.template.spec.volumes?.[0]?.hostPath?.path, '/data/ns/w');
  assert.equal(job.spec.template.spec.nodeName, 'n1');
});
