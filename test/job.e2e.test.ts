/**
 * Jobs end to end: a real server (scheduler, Job controller, agent) running busybox pods with runc,
 * driven through lcctl. The server's Job back-off is cut to 100 ms so failures turn over quickly.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import type { Job } from '../src/api/schema/job.js';
import type { Pod } from '../src/api/pod.js';
import type { ObjectList } from '../src/api/meta.js';

const indexedJob = (name: string, completions: number, parallelism: number, script: string): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
  spec: {
    completions, parallelism, completionMode: 'Indexed',
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }] } },
  },
});

describe('Jobs with real containers', () => {
  const server = new TestServer(['--job-backoff', '100ms', '--job-backoff-max', '200ms']);
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  const jobPods = async (name: string): Promise<Pod[]> =>
    (await server.api<ObjectList<Pod>>('GET', `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`batch.kubernetes.io/job-name=${name}`)}`)).body.items;

  test('an Indexed Job (completions 3, parallelism 2) completes; wait, logs and get show it', async () => {
    const created = await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', indexedJob('idx', 3, 2, 'echo index=$JOB_COMPLETION_INDEX'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await cli.ok(['wait', '--for=condition=complete', 'job/idx', '--timeout=60s']);
    const logs = await cli.ok(['logs', 'job/idx']);
    assert.match(logs, /^index=[0-2]\n$/);
    assert.match(await cli.ok(['get', 'jobs', '--no-headers']), /^idx\s+Complete\s+3\/3\s+\S+\s+\S+/m);
    const ok = (await jobPods('idx')).filter((p) => p.status?.phase === 'Succeeded').map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(ok, ['0', '1', '2'], 'each index ran to success once');
    const json = JSON.parse(await cli.ok(['get', 'job', 'idx', '-o', 'json'])) as Job;
    assert.equal(json.status?.completedIndexes, '0-2');
    assert.match(await cli.ok(['describe', 'job', 'idx']), /Pods Statuses:\s+0 Active \(0 Ready\) \/ 0 Pending \/ 3 Succeeded \/ 0 Failed/);
    // Waiting for the other outcome times out with kubectl's message.
    const r = await cli.expect(1, ['wait', '--for=condition=failed', 'job/idx', '--timeout=1s']);
    assert.match(r.stderr, /timed out waiting for the condition on jobs\/idx/);
    assert.match(await cli.ok(['delete', 'job', 'idx']), /job.batch "idx" deleted/);
    await server.until('the deleted job\'s pods are gone', async () => (await jobPods('idx')).length === 0);
  });

  test('a failing job made by lcctl create job ends Failed with BackoffLimitExceeded after backoffLimit + 1 pods', async () => {
    assert.match(await cli.ok(['create', 'job', 'boom', '--image=busybox', '--', 'sh', '-c', 'echo trying; exit 3']), /job.batch\/boom created/);
    await cli.ok(['wait', '--for=condition=failed', 'job/boom', '--timeout=90s']);
    const job = JSON.parse(await cli.ok(['get', 'job', 'boom', '-o', 'json'])) as Job;
    assert.equal(job.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'BackoffLimitExceeded');
    assert.equal(job.status?.failed, 7, 'backoffLimit 6: the seventh failure fails the Job');
    assert.match(await cli.ok(['get', 'jobs', 'boom', '--no-headers']), /^boom\s+Failed\s+0\/1\s/);
    assert.match(await cli.ok(['describe', 'job', 'boom']), /BackoffLimitExceeded/);
    assert.equal((await jobPods('boom')).length, 7);
  });

  test('a server killed mid-run and started again finishes the Job with every index succeeding exactly once', async () => {
    const created = await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', indexedJob('survivor', 4, 1, 'sleep 1; echo done $JOB_COMPLETION_INDEX'));
    assert.equal(created.status, 201);
    await server.until('the first index succeeded', async () => ((await server.api<Job>('GET', '/apis/batch/v1/namespaces/default/jobs/survivor')).body.status?.succeeded ?? 0) >= 1, 60_000);
    await server.kill9();
    await server.start();
    await cli.ok(['wait', '--for=condition=complete', 'job/survivor', '--timeout=90s']);
    const job = (await server.api<Job>('GET', '/apis/batch/v1/namespaces/default/jobs/survivor')).body;
    assert.equal(job.status?.succeeded, 4);
    assert.equal(job.status?.completedIndexes, '0-3');
    const ok = (await jobPods('survivor')).filter((p) => p.status?.phase === 'Succeeded').map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepEqual(ok, ['0', '1', '2', '3']);
  });
});
