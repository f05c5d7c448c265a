/**
 * Workflows end to end: a real server (scheduler, Job and Workflow controllers, agent) running busybox
 * pods with runc. One workflow, created with `lcctl apply -f`: prep writes an output file; train fans
 * out over two params, uses prep's output and writes into the shared /workspace; broken fails;
 * cleanup (runPolicy Always) runs after it and checks what train wrote. `lcctl workflow get` shows it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import type { Workflow, WorkflowStep } from '../src/api/schema/workflow.js';
import type { Job } from '../src/api/schema/job.js';
import type { ObjectList } from '../src/api/meta.js';

const step = (name: string, script: string, more: Partial<WorkflowStep> = {}): WorkflowStep => ({
  name, ...more,
  template: { backoffLimit: 0, template: { spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] } } },
});

const workflow: Workflow = {
  apiVersion: 'lantern.dev/v1', kind: 'Workflow', metadata: { name: 'pipe' },
  spec: { steps: [
    step('prep', 'echo preparing; echo v7 > /workspace/prep.txt', { outputs: { fromFile: '/workspace/prep.txt' } }),
    step('train', 'echo "lr={{param}} data={{steps.prep.output}}" > /workspace/train-$PARAM.txt', { dependsOn: ['prep'], withParams: ['a', 'b'] }),
    step('broken', 'echo failing; exit 3', { dependsOn: ['train'] }),
    step('after-broken', 'true', { dependsOn: ['broken'] }),
    step('cleanup', 'grep -qx "lr=a data=v7" /workspace/train-a.txt && grep -qx "lr=b data=v7" /workspace/train-b.txt', { dependsOn: ['broken'], runPolicy: 'Always' }),
  ] },
};

describe('Workflows with real containers', () => {
  const server = new TestServer(['--job-backoff', '100ms', '--job-backoff-max', '200ms']);
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  test('outputs, fan-out, shared volume, a failure and an Always step; lcctl shows the DAG', async () => {
    const file = path.join(server.dataDir, 'pipe.json');
    writeFileSync(file, JSON.stringify(workflow));
    assert.match(await cli.ok(['apply', '-f', file]), /workflow.lantern.dev\/pipe created/);
    const done = await server.until('the workflow finished', async () => {
      const wf = (await server.api<Workflow>('GET', '/apis/lantern.dev/v1/namespaces/default/workflows/pipe')).body;
      return wf.status?.phase === 'Failed' || wf.status?.phase === 'Succeeded' ? wf : undefined;
    }, 120_000);
    const phase = Object.fromEntries((done.status?.steps ?? []).map((s) => [s.name, s.phase]));
    assert.deepEqual(phase, { prep: 'Succeeded', train: 'Succeeded', broken: 'Failed', 'after-broken': 'Skipped', cleanup: 'Succeeded' }, JSON.stringify(done.status, null, 2));
    assert.equal(done.status?.phase, 'Failed');
    assert.equal(done.status?.steps?.find((s) => s.name === 'prep')?.output, 'v7');

    const tree = await cli.ok(['workflow', 'get', 'pipe']);
    assert.match(tree, /^workflow pipe {2}Failed/);
    assert.match(tree, /^\|- prep +Succeeded/m);
    assert.match(tree, /^\|  \|- train\(a\) +Succeeded/m);
    assert.match(tree, /^\|- broken +Failed/m);
    assert.match(tree, /^\|- after-broken +Skipped/m);
    assert.match(tree, /^`- cleanup +Succeeded/m);
    assert.match(await cli.ok(['get', 'workflows', '--no-headers']), /^pipe\s+Failed\s+3\/5\s/m);

    const jobsPath = `/apis/batch/v1/namespaces/default/jobs?labelSelector=${encodeURIComponent('workflows.lantern.dev/name=pipe')}`;
    assert.equal((await server.api<ObjectList<Job>>('GET', jobsPath)).body.items.length, 5, 'prep, train x2, broken, cleanup');
    assert.match(await cli.ok(['delete', 'workflow', 'pipe']), /deleted/);
    await server.until('the deleted workflow\'s jobs are gone', async () => (await server.api<ObjectList<Job>>('GET', jobsPath)).body.items.length === 0);
  });
});
