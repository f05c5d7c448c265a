/**
 * Issue 6, "exactly the work asked for, across restarts", for an agent: a remote `lanternd agent`
 * is killed with SIGKILL while an Indexed Job's pods run on it, and their containers finish while
 * it is down. Started again over the same data dir, the agent reports what its containers did, so
 * the Job completes with each index succeeding once, no replacement pods, and nothing left behind.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import type { Job } from '../src/api/schema/job.js';
import type { Pod } from '../src/api/pod.js';
import type { ObjectList } from '../src/api/meta.js';

const JOB = 'through-agent-crash';
const INDEX = 'batch.kubernetes.io/job-completion-index';

describe('a Job whose agent is killed mid-run', { timeout: 240_000 }, () => {
  const server = new TestServer(['--no-agent']);
  const agent = new RemoteAgent(server, 'edge-k');
  before(async () => { await server.start(); await agent.start(); });
  after(async () => { await agent.remove(); await server.stop(); });

  const pods = async (): Promise<Pod[]> =>
    (await server.api<ObjectList<Pod>>('GET', `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`batch.kubernetes.io/job-name=${JOB}`)}`)).body.items;
  const containersOnAgent = (): string[] => {
    const root = path.join(agent.dataDir, 'containers/runc');
    return existsSync(root) ? readdirSync(root) : [];
  };

  test('completes with every index succeeding exactly once and no extra pod', async () => {
    const created = await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: JOB },
      spec: {
        completions: 4, parallelism: 2, completionMode: 'Indexed',
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 3; echo done $JOB_COMPLETION_INDEX'] }] } },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await server.until('two pods of the Job running on the agent', async () => (await pods()).filter((p) => p.status?.phase === 'Running').length === 2, 60_000);
    await agent.kill9();
    // The two containers finish (sleep 3) while nothing watches them but conmon.
    await new Promise((r) => setTimeout(r, 5000));
    const whileDown = await pods();
    assert.equal(whileDown.length, 2, 'no pod was replaced while the agent was down');
    assert.ok(whileDown.every((p) => p.status?.phase === 'Running'), 'the server still has them Running: nobody reported the exits yet');

    await agent.start();
    const wait = await server.lcctl(['wait', '--for=condition=complete', `job/${JOB}`, '--timeout=120s']);
    assert.equal(wait.code, 0, `${wait.stderr}\nagent log:\n${agent.log}`);
    const job = (await server.api<Job>('GET', `/apis/batch/v1/namespaces/default/jobs/${JOB}`)).body;
    assert.equal(job.status?.succeeded, 4);
    assert.equal(job.status?.failed ?? 0, 0);
    assert.equal(job.status?.completedIndexes, '0-3');
    const all = await pods();
    assert.equal(all.length, 4, `one pod per index, none made twice: ${all.map((p) => `${p.metadata.name}=${p.status?.phase}`).join(' ')}`);
    assert.deepEqual(all.map((p) => p.metadata.annotations?.[INDEX]).sort(), ['0', '1', '2', '3']);
    assert.ok(all.every((p) => p.status?.phase === 'Succeeded'));
    const survivor = whileDown[0]!;
    const logs = await server.lcctl(['logs', survivor.metadata.name]);
    assert.equal(logs.stdout, `done ${survivor.metadata.annotations?.[INDEX]}\n`, 'the output of a container that exited while its agent was down is kept');

    // Deleting the Job removes its pods and, on the agent, their containers: none is left untracked.
    assert.equal((await server.lcctl(['delete', 'job', JOB])).code, 0);
    await server.until('the Job\'s pods are gone', async () => (await pods()).length === 0, 30_000);
    await server.until(`no container left on the agent (${containersOnAgent().join(', ')})`, async () => containersOnAgent().length === 0, 30_000);
  });
});
