/**
 * The Workflow controller against the in-process API over a real SQLite store. The test plays the Job
 * controller and the kubelet: it marks Jobs Complete/Failed and serves the pod logs outputs are read from.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { ManualClock } from '../../testing/clock.js';
import { WorkflowController } from './index.js';
import type { Job } from '../../api/schema/job.js';
import type { Pod } from '../../api/pod.js';
import type { Workflow, WorkflowStep } from '../../api/schema/workflow.js';

let t: TestApi;
let api: TestApi['api'];
const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
const logs = new Map<string, string>();
const made: WorkflowController[] = [];
const controller = (): WorkflowController => {
  const c = new WorkflowController({ api, clock, hostRoot: '/var/lib/test-wf', log: () => undefined, readLog: (_ns, pod) => Promise.resolve(logs.get(pod) ?? '') });
  made.push(c);
  return c;
};

before(async () => { t = await openTestApi({ prefix: 'lantern-wf-' }); api = t.api; });
after(async () => { for (const c of made) c.stop(); await t.close(); });

const step = (name: string, more: Partial<WorkflowStep> = {}): WorkflowStep => ({
  name, template: { template: { spec: { containers: [{ name: 'main', image: 'busybox', command: ['echo', '{{param}}', '{{steps.prep.output}}'] }] } } }, ...more,
});
const create = (name: string, steps: WorkflowStep[]): Promise<Workflow> => api.create<Workflow>('workflows', { apiVersion: 'lantern.dev/v1', kind: 'Workflow', metadata: { name }, spec: { steps } });
const get = (name: string): Promise<Workflow> => api.get<Workflow>('workflows', name, 'default');
const jobs = async (wf: string): Promise<string[]> => (await api.list<Job>('jobs', 'default', { labelSelector: `workflows.lantern.dev/name=${wf}` })).items.map((j) => j.metadata.name).sort();
const phases = async (wf: string): Promise<string> => ((await get(wf)).status?.steps ?? []).map((s) => `${s.name}=${s.phase}`).join(' ');

/** Play the Job controller: the Job ends, and (on success) its pod ends with a log. */
async function finishJob(name: string, ok: boolean, log?: string): Promise<void> {
  const j = await api.get<Job>('jobs', name, 'default');
  await api.updateStatus<Job>('jobs', { ...j, status: { ...j.status, conditions: [{ type: ok ? 'Complete' : 'Failed', status: 'True', lastTransitionTime: new Date(clock.now()).toISOString() }] } });
  if (!ok) return;
  const pod = await api.create<Pod>('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-pod`, labels: { 'batch.kubernetes.io/job-name': name, 'workflows.lantern.dev/name': j.metadata.labels?.['workflows.lantern.dev/name'] ?? '' } }, spec: { nodeName: 'node-a', containers: [{ name: 'main', image: 'busybox' }] } });
  await api.updateStatus<Pod>('pods', { ...pod, status: { ...pod.status, phase: 'Succeeded' } });
  if (log !== undefined) logs.set(pod.metadata.name, log);
}
const marked = (text: string): string => `work\n\n<<<lantern-workflow-output\n${text}\nlantern-workflow-output>>>\n`;

test('a DAG runs in order; outputs and params reach later steps; the shared volume pins pods to one node', async () => {
  const c = controller();
  await create('pipe', [
    step('prep', { outputs: { fromFile: '/workspace/out' } }),
    step('train', { dependsOn: ['prep'], withParams: ['0.1', '0.2'] }),
    step('eval', { dependsOn: ['train'] }),
  ]);
  await c.reconcile('default/pipe');
  assert.deepEqual(await jobs('pipe'), ['pipe-prep-1']);
  let wf = await get('pipe');
  assert.equal(wf.status?.phase, 'Running');
  assert.equal(await phases('pipe'), 'prep=Running train=Pending eval=Pending');
  const prepJob = await api.get<Job>('jobs', 'pipe-prep-1', 'default');
  assert.equal(prepJob.metadata.ownerReferences?.[0]?.uid, wf.metadata.uid);
  assert.equal(prepJob.spec.template.spec.volumes?.[0]?.hostPath?.path, '/var/lib/test-wf/default/pipe');

  await finishJob('pipe-prep-1', true, marked('dataset-v7'));
  await c.reconcile('default/pipe');
  wf = await get('pipe');
  assert.equal(wf.status?.steps?.[0]?.output, 'dataset-v7');
  assert.equal(wf.status?.nodeName, 'node-a');
  assert.deepEqual(await jobs('pipe'), ['pipe-prep-1', 'pipe-train-1-0', 'pipe-train-1-1']);
  const t1 = await api.get<Job>('jobs', 'pipe-train-1-1', 'default');
  const cont = t1.spec.template.spec.containers[0]!;
  assert.deepEqual(cont.command, ['echo', '0.2', 'dataset-v7']);
  assert.deepEqual(cont.env, [{ name: 'PARAM', value: '0.2' }]);
  assert.equal(t1.spec.template.spec.nodeName, 'node-a');

  await finishJob('pipe-train-1-0', true);
  await c.reconcile('default/pipe');
  assert.equal(await phases('pipe'), 'prep=Succeeded train=Running eval=Pending');
  await finishJob('pipe-train-1-1', true);
  await c.reconcile('default/pipe');
  assert.equal(await phases('pipe'), 'prep=Succeeded train=Succeeded eval=Running');
  await finishJob('pipe-eval-1', true);
  await c.reconcile('default/pipe');
  wf = await get('pipe');
  assert.equal(wf.status?.phase, 'Succeeded');
  assert.ok(wf.status?.finishedAt);
});

test('retries re-create the Job; a final failure skips dependents and fails the workflow; Always still runs', async () => {
  const c = controller();
  await create('fail', [
    step('a', { retries: 1 }),
    step('b', { dependsOn: ['a'] }),
    step('cleanup', { dependsOn: ['b'], runPolicy: 'Always' }),
  ]);
  await c.reconcile('default/fail');
  await finishJob('fail-a-1', false);
  await c.reconcile('default/fail');
  assert.deepEqual(await jobs('fail'), ['fail-a-1', 'fail-a-2']);
  assert.equal((await get('fail')).status?.steps?.[0]?.attempts, 2);
  await finishJob('fail-a-2', false);
  await c.reconcile('default/fail');
  assert.equal(await phases('fail'), 'a=Failed b=Skipped cleanup=Running');
  assert.deepEqual(await jobs('fail'), ['fail-a-1', 'fail-a-2', 'fail-cleanup-1']);
  assert.equal((await get('fail')).status?.phase, 'Running');
  await finishJob('fail-cleanup-1', true);
  await c.reconcile('default/fail');
  const wf = await get('fail');
  assert.equal(wf.status?.phase, 'Failed');
  assert.match(wf.status?.message ?? '', /step a failed/);
});

test('continueOnFailure: the dependent runs and the workflow succeeds', async () => {
  const c = controller();
  await create('cont', [step('a', { continueOnFailure: true }), step('b', { dependsOn: ['a'] })]);
  await c.reconcile('default/cont');
  await finishJob('cont-a-1', false);
  await c.reconcile('default/cont');
  assert.equal(await phases('cont'), 'a=Failed b=Running');
  await finishJob('cont-b-1', true);
  await c.reconcile('default/cont');
  assert.equal((await get('cont')).status?.phase, 'Succeeded');
});

test('reconcile is idempotent, and deleting the Workflow deletes its Jobs (also after a restart)', async () => {
  const c = controller();
  await create('del', [step('a'), step('b')]);
  await c.reconcile('default/del');
  await c.reconcile('default/del');
  assert.deepEqual(await jobs('del'), ['del-a-1', 'del-b-1']);
  const wf = await get('del');
  await api.delete('workflows', 'del', 'default');
  await c.deleteJobsOf(wf);
  assert.deepEqual(await jobs('del'), []);

  // Jobs left behind while no controller ran are collected when one starts.
  await create('orphan', [step('a')]);
  await c.reconcile('default/orphan');
  await api.delete('workflows', 'orphan', 'default');
  assert.deepEqual(await jobs('orphan'), ['orphan-a-1']);
  const fresh = controller();
  await fresh.start();
  assert.deepEqual(await jobs('orphan'), []);
  fresh.stop();
});
