import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { busyboxPod, getPod, waitContainer, type PodView } from './harness/pods.js';
import { Cli } from './harness/cli.js';

const condition = (pod: PodView | undefined, type: string): string | undefined => pod?.status?.conditions?.find((c) => c.type === type)?.status;
// Probe every second; a generous timeout, since runc exec on a loaded 2-core machine can take seconds.
const fast = { periodSeconds: 1, timeoutSeconds: 10 };

/** Liveness, readiness and startup probes on real busybox containers, checked through the API and lcctl. */
describe('container probes', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); });

  const create = async (manifest: unknown): Promise<void> => {
    const r = await server.api('POST', '/api/v1/namespaces/default/pods', manifest);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  };

  test('an httpGet liveness probe that starts failing gets the container killed and restarted', async () => {
    // httpd serves /www; the file the probe reads disappears three seconds after each start.
    // (The braces matter: without them `a && b && c & exec httpd` backgrounds the mkdir, and httpd can start before /www exists.)
    const script = 'mkdir -p /www && echo ok > /www/healthz && { (sleep 3; rm /www/healthz) & exec httpd -f -p 8080 -h /www; }';
    await create(busyboxPod('live', ['sh', '-c', script], {
      restartPolicy: 'Always',
      spec: { terminationGracePeriodSeconds: 1 },
      container: { ports: [{ name: 'web', containerPort: 8080 }], livenessProbe: { httpGet: { path: '/healthz', port: 'web' }, ...fast, failureThreshold: 2 } },
    }));
    await waitContainer(server, 'live', 'restarted by its liveness probe', (cs) => cs.restartCount >= 1, 90_000);
    const text = await server.until('the probe events in describe', async () => {
      const out = await cli.ok(['describe', 'pod', 'live']);
      return /Killing/.test(out) && /Unhealthy/.test(out) ? out : undefined;
    });
    assert.match(text, /Liveness: +http-get http:\/\/:web\/healthz delay=0s timeout=10s period=1s #success=1 #failure=2/);
    assert.match(text, /Warning +Unhealthy .*Liveness probe failed: HTTP probe failed with statuscode: 404/);
    assert.match(text, /Normal +Killing .*Container main failed liveness probe, will be restarted/);
    assert.match(text, /Restart Count: +[1-9]/);
  });

  test('an exec readiness probe drives Ready and the READY column, without restarts', async () => {
    await create(busyboxPod('ready', ['sleep', '3600'], {
      restartPolicy: 'Always',
      spec: { terminationGracePeriodSeconds: 0 },
      container: { readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, ...fast, failureThreshold: 2 } },
    }));
    const running = await waitContainer(server, 'ready', 'running', (cs) => cs.state.running !== undefined);
    assert.equal(condition(running, 'Ready'), 'False');
    // Not ready while the probe keeps failing (seen failing in an event), and not restarted for it.
    await server.until('a failed readiness probe', async () => /Readiness probe failed/.test(await cli.ok(['describe', 'pod', 'ready'])));
    const notYet = await getPod(server, 'ready');
    assert.equal(condition(notYet, 'Ready'), 'False');
    assert.equal(condition(notYet, 'ContainersReady'), 'False');
    assert.match(await cli.ok(['get', 'pods', 'ready', '--no-headers']), /^ready\s+0\/1\s+Running\s+0\b/);

    await cli.ok(['exec', 'ready', 'touch', '/tmp/ready']);
    const ready = await server.until('Ready=True', async () => { const p = await getPod(server, 'ready'); return condition(p, 'Ready') === 'True' ? p : undefined; });
    assert.equal(condition(ready, 'ContainersReady'), 'True');
    assert.equal(ready.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.match(await cli.ok(['get', 'pods', 'ready', '--no-headers']), /^ready\s+1\/1\s+Running\s+0\b/);

    await cli.ok(['exec', 'ready', 'rm', '/tmp/ready']);
    const again = await server.until('Ready=False again', async () => { const p = await getPod(server, 'ready'); return condition(p, 'Ready') === 'False' ? p : undefined; });
    assert.equal(again.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.ok(again.status?.containerStatuses?.[0]?.state.running, 'still the same running container');
    const text = await cli.ok(['describe', 'pod', 'ready']);
    assert.match(text, /Readiness: +exec \[cat \/tmp\/ready\] delay=0s timeout=10s period=1s #success=1 #failure=2/);
    assert.match(text, /ContainersReady +False/);
    assert.doesNotMatch(text, /Killing/);
  });

  test('a tcpSocket startup probe holds back liveness until the server listens', async () => {
    // The server starts only when the test says so; the liveness check would fail at once before that.
    const script = 'until [ -f /tmp/go ]; do sleep 0.2; done; touch /tmp/alive; exec httpd -f -p 8081 -h /';
    await create(busyboxPod('slow', ['sh', '-c', script], {
      restartPolicy: 'Always',
      spec: { terminationGracePeriodSeconds: 0 },
      container: {
        startupProbe: { tcpSocket: { port: 8081 }, ...fast, failureThreshold: 600 },
        livenessProbe: { exec: { command: ['test', '-f', '/tmp/alive'] }, ...fast, failureThreshold: 2 },
      },
    }));
    await waitContainer(server, 'slow', 'running', (cs) => cs.state.running !== undefined);
    await server.until('a failed startup probe', async () => /Startup probe failed: dial tcp [0-9.]+:8081: connect: connection refused/.test(await cli.ok(['describe', 'pod', 'slow'])));
    const starting = await getPod(server, 'slow');
    const cs = starting?.status?.containerStatuses?.[0] as { started?: boolean; ready?: boolean; restartCount: number } | undefined;
    assert.equal(cs?.started, false);
    assert.equal(cs?.ready, false);
    assert.equal(cs?.restartCount, 0, 'the failing liveness check did not run during startup');
    assert.doesNotMatch(await cli.ok(['describe', 'pod', 'slow']), /Liveness probe failed/);

    await cli.ok(['exec', 'slow', 'touch', '/tmp/go']);
    const started = await server.until('started and ready', async () => {
      const p = await getPod(server, 'slow');
      const s = p?.status?.containerStatuses?.[0] as { started?: boolean; ready?: boolean } | undefined;
      return s?.started && s.ready && condition(p, 'Ready') === 'True' ? p : undefined;
    });
    assert.equal(started.status?.containerStatuses?.[0]?.restartCount, 0);

    // Now liveness runs: taking its file away gets the container restarted.
    await cli.ok(['exec', 'slow', 'rm', '/tmp/alive']);
    await waitContainer(server, 'slow', 'restarted by liveness after startup', (c) => c.restartCount >= 1, 60_000);
    assert.match(await cli.ok(['describe', 'pod', 'slow']), /Container main failed liveness probe, will be restarted/);
  });
});
