/**
 * Pod features end to end on runc (a real server, scheduler, controllers and agent, driven through
 * lcctl and the API): an init container's file read by the app, a failing init container shown as
 * Init:Error, a sidecar beside a Job that still completes, preStop before the stop signal, and a
 * Job made from a CronJob by `lcctl create job --from=cronjob/NAME`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import type { Job } from '../src/api/schema/job.js';
import type { Pod } from '../src/api/pod.js';

describe('init containers, sidecars, preStop and CronJobs with real containers', () => {
  const server = new TestServer([]);
  const cli = new Cli(server);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's5-lifecycle-'));
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('a Job whose init container writes a file the app reads, with a sidecar that keeps running, completes', async () => {
    const job: Job = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'inits' },
      spec: { template: { spec: {
        restartPolicy: 'Never', volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          { name: 'side', image: 'busybox', restartPolicy: 'Always', command: ['sh', '-c', 'while true; do sleep 1; done'] },
          { name: 'prep', image: 'busybox', command: ['sh', '-c', 'echo prepared > /work/msg'], volumeMounts: [{ name: 'work', mountPath: '/work' }] },
        ],
        containers: [{ name: 'main', image: 'busybox', command: ['cat', '/work/msg'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
      } } },
    };
    const r = await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', job);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    await cli.ok(['wait', '--for=condition=complete', 'job/inits', '--timeout=90s']);
    assert.equal(await cli.ok(['logs', 'job/inits', '-c', 'main']), 'prepared\n');
  });

  test('a failing init container under restartPolicy Never shows Init:Error and the app never runs', async () => {
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'badinit' },
      spec: { restartPolicy: 'Never', initContainers: [{ name: 'fail', image: 'busybox', command: ['sh', '-c', 'exit 3'] }], containers: [{ name: 'main', image: 'busybox', command: ['true'] }] },
    };
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', pod)).status, 201);
    await server.until('the pod shows Init:Error', async () => /^badinit\s+0\/1\s+Init:Error\s/m.test(await cli.ok(['get', 'pods', 'badinit', '--no-headers'])));
  });

  test('preStop runs before the stop signal: the app sees its file when SIGTERM comes', async () => {
    const pod: Pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'prestop' },
      spec: {
        terminationGracePeriodSeconds: 20, volumes: [{ name: 'out', hostPath: { path: dir } }],
        containers: [{
          name: 'main', image: 'busybox', volumeMounts: [{ name: 'out', mountPath: '/out' }],
          command: ['sh', '-c', "trap 'if [ -f /out/prestop ]; then echo after-prestop > /out/term; else echo no-prestop > /out/term; fi; exit 0' TERM; while true; do sleep 1; done"],
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo ran > /out/prestop'] } } },
        }],
      },
    };
    assert.equal((await server.api('POST', '/api/v1/namespaces/default/pods', pod)).status, 201);
    await server.until('the pod runs', async () => /Running/.test(await cli.ok(['get', 'pods', 'prestop', '--no-headers'])));
    await cli.ok(['delete', 'pod', 'prestop']);
    assert.equal(fs.readFileSync(path.join(dir, 'term'), 'utf8'), 'after-prestop\n');
  });

  test('lcctl create cronjob, then lcctl create job --from=cronjob/NAME runs its template now', async () => {
    assert.match(await cli.ok(['create', 'cronjob', 'yearly', '--image=busybox', '--schedule=@yearly', '--', 'sh', '-c', 'echo from-cron']), /cronjob.batch\/yearly created/);
    assert.match(await cli.ok(['get', 'cronjobs', '--no-headers']), /^yearly\s+@yearly\s+<none>\s+False\s+0\s+<none>\s/m);
    assert.match(await cli.ok(['create', 'job', 'now', '--from=cronjob/yearly']), /job.batch\/now created/);
    await cli.ok(['wait', '--for=condition=complete', 'job/now', '--timeout=90s']);
    assert.equal(await cli.ok(['logs', 'job/now']), 'from-cron\n');
  });
});
