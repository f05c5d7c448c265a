/**
 * Queues end to end: a real server (queue controller, Job controller, scheduler, agent) running
 * busybox pods under runc, driven with lcctl. A queue's quota holds a second Job back with a reason
 * `lcctl describe job` shows, until the first finishes; a queue borrowing its cohort's idle quota has
 * its Job suspended (its container stopped) when the lender needs the quota back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import type { Job } from '../src/api/schema/job.js';
import type { Pod } from '../src/api/pod.js';
import type { ObjectList } from '../src/api/meta.js';

const job = (name: string, queue: string, cpu: string, script: string): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, labels: { 'lantern.dev/queue-name': queue } },
  spec: { template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script], resources: { requests: { cpu, memory: '16Mi' } } }] } } },
});

describe('Queues with real containers', { timeout: 240_000 }, () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  const submit = async (j: Job): Promise<void> => {
    const r = await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', j);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };
  const getJob = async (name: string): Promise<Job> => (await server.api<Job>('GET', `/apis/batch/v1/namespaces/default/jobs/${name}`)).body;
  const runningPods = async (name: string): Promise<Pod[]> =>
    (await server.api<ObjectList<Pod>>('GET', `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`batch.kubernetes.io/job-name=${name}`)}`)).body.items
      .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  /** The queue's row of `lcctl queue list`: [NAME, WEIGHT, PENDING, RUNNING, ALLOCATED, DESERVED, SHARE...]. */
  const queueRow = async (name: string): Promise<string[] | undefined> =>
    (await cli.ok(['queue', 'list'])).split('\n').map((l) => l.trim().split(/\s+/)).find((cols) => cols[0] === name);

  test("a queue's quota holds the second Job back, with the reason, until the first finishes", async () => {
    assert.match(await cli.ok(['queue', 'create', 'team-a', '--cpu', '300m']), /queue.lantern.dev\/team-a created/);
    // a1 runs until the test lets it finish (touch /tmp/go), so a2 is seen waiting however slow the machine.
    await submit(job('a1', 'team-a', '200m', 'until [ -f /tmp/go ]; do sleep 0.2; done; echo a1 done'));
    await server.until('a1 admitted and its pod running', async () => (await runningPods('a1')).length === 1, 60_000);
    await submit(job('a2', 'team-a', '200m', 'echo a2 done'));
    const reason = await server.until('a2 waits with a reason', async () => (await getJob('a2')).metadata.annotations?.['lantern.dev/queue-waiting']);
    assert.match(reason, /^queue team-a: quota exhausted/);
    assert.equal((await getJob('a2')).spec.suspend, true);
    assert.match(await cli.ok(['describe', 'job', 'a2']), /Waiting:\s+queue team-a: quota exhausted/);
    const described = await cli.ok(['describe', 'queue', 'team-a']);
    assert.match(described, /Quota:\s+cpu=300m/);
    assert.match(described, /default\s+a1\s+Running\s+\S+ ago/);
    assert.match(described, /default\s+a2\s+Suspended\s+<pending>\s+queue team-a: quota exhausted/);
    const row = await server.until('queue list shows 1 pending and 1 running', async () => { const r = await queueRow('team-a'); return r?.[2] === '1' && r[3] === '1' ? r : undefined; });
    assert.match(row[4] ?? '', /^200m\//, 'allocated cpu is a1\'s request');

    // a1 finishes; the queue admits a2, which runs to completion in a real container.
    await cli.ok(['exec', (await runningPods('a1'))[0]!.metadata.name, 'touch', '/tmp/go']);
    await cli.ok(['wait', '--for=condition=complete', 'job/a1', '--timeout=60s']);
    await cli.ok(['wait', '--for=condition=complete', 'job/a2', '--timeout=60s']);
    assert.equal(await cli.ok(['logs', 'job/a2']), 'a2 done\n');
    await server.until('queue list shows nothing pending or running', async () => { const r = await queueRow('team-a'); return r?.[2] === '0' && r[3] === '0'; });
  });

  test("a lender reclaims the quota its cohort borrowed: the borrower's Job is suspended and its container stopped", async () => {
    await cli.ok(['queue', 'create', 'lender', '--cpu', '400m', '--cohort', 'pool']);
    await cli.ok(['queue', 'create', 'borrower', '--cpu', '100m', '--cohort', 'pool']);
    await submit(job('b1', 'borrower', '300m', 'echo started; sleep 3600'));
    const [pod] = await server.until('b1 runs on borrowed quota', async () => { const ps = await runningPods('b1'); return ps.length === 1 ? ps : undefined; }, 60_000);
    assert.match((await queueRow('borrower'))?.join(' ') ?? '', /\(borrowing\)/);

    await submit(job('l1', 'lender', '400m', 'echo lender ran; sleep 3'));
    await server.until('l1 runs on the reclaimed quota', async () => (await runningPods('l1')).length === 1, 60_000);
    assert.equal((await getJob('b1')).spec.suspend, true, 'the borrowed Job was suspended');
    await server.until(`b1's pod ${pod!.metadata.name} is gone with its container`, async () =>
      (await server.api('GET', `/api/v1/namespaces/default/pods/${pod!.metadata.name}`)).status === 404, 30_000);
    assert.match(await cli.ok(['get', 'events', '--field-selector', 'involvedObject.name=b1']), /Preempted\s+job\/b1\s+queue lender reclaims its quota for default\/l1/);
    assert.match(await cli.ok(['describe', 'queue', 'borrower']), /Preempted\s+\S+\s+job\/b1\s+queue lender reclaims its quota for default\/l1/);
    assert.match(await cli.ok(['describe', 'job', 'b1']), /Waiting:\s+queue borrower: its quota has too little left \(cpu 0\/100m in use\) and cohort pool has no idle quota \(cpu 400m\/500m, the job needs 300m\)/);

    // When the lender's Job is done, the borrower borrows again and b1 gets a new pod.
    await cli.ok(['wait', '--for=condition=complete', 'job/l1', '--timeout=90s']);
    assert.equal(await cli.ok(['logs', 'job/l1']), 'lender ran\n');
    await server.until('b1 runs again', async () => (await runningPods('b1')).length === 1, 60_000);
    await cli.ok(['delete', 'job', 'b1', 'l1', 'a1', 'a2']);
  });
});
