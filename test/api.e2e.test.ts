import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { busyboxPod, getPod, importBusybox, waitContainer } from './harness/pods.js';

interface ErrorBody { reason: string; message: string; details?: { causes?: { field: string; message: string }[] } }

describe('API server with a real agent (lanternd server)', () => {
  const server = new TestServer();
  before(async () => { await server.start(); await importBusybox(server, busyboxArchive()); });
  after(async () => { await server.stop(); });

  test('every request needs a valid token', async () => {
    const none = await fetch(`${server.url}/api/v1/pods`);
    assert.equal(none.status, 401);
    const bad = await fetch(`${server.url}/api/v1/pods`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as ErrorBody).reason, 'Unauthorized');
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
  });

  test('an invalid manifest is refused with the field path and what is expected', async () => {
    const noImage = await server.api<ErrorBody>('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [{ name: 'c' }] } });
    assert.equal(noImage.status, 422);
    assert.equal(noImage.body.reason, 'Invalid');
    assert.deepEqual(noImage.body.details?.causes?.[0], { field: 'spec.containers[0].image', message: 'required' });

    const badPolicy = await server.api<ErrorBody>('POST', '/api/v1/namespaces/default/pods', busyboxPod('bad', ['true'], { restartPolicy: 'Sometimes' }));
    assert.equal(badPolicy.status, 422);
    assert.match(badPolicy.body.message, /spec\.restartPolicy: expected one of "Always", "OnFailure", "Never", got "Sometimes"/);

    const typo = await server.api<ErrorBody>('POST', '/api/v1/namespaces/default/pods', busyboxPod('bad', ['true'], { container: { imagePullPolcy: 'Never' } }));
    assert.equal(typo.status, 422);
    assert.equal(typo.body.details?.causes?.[0]?.field, 'spec.containers[0].imagePullPolcy');
    assert.equal(typo.body.details?.causes?.[0]?.message, 'unknown field');

    const badMem = await server.api<ErrorBody>('POST', '/api/v1/namespaces/default/pods', busyboxPod('bad', ['true'], { container: { resources: { limits: { memory: '12q' } } } }));
    assert.equal(badMem.status, 422);
    assert.equal(badMem.body.details?.causes?.[0]?.field, 'spec.containers[0].resources.limits.memory');

    const badName = await server.api<ErrorBody>('POST', '/api/v1/namespaces/default/pods', busyboxPod('Bad_Name', ['true']));
    assert.equal(badName.status, 422);
    assert.equal(badName.body.details?.causes?.[0]?.field, 'metadata.name');

    const notJson = await server.api<ErrorBody>('POST', '/api/v1/namespaces/default/pods', '{"apiVersion": ');
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.message, /not valid JSON/);
    // Nothing of the refused requests was stored.
    assert.equal((await server.api('GET', '/api/v1/namespaces/default/pods/bad')).status, 404);
  });

  test('a taken name is a conflict and a stale resourceVersion is refused', async () => {
    const first = await server.api<{ metadata: { resourceVersion: string } }>('POST', '/api/v1/namespaces/default/pods', busyboxPod('taken', ['sleep', '30'], { spec: { nodeSelector: { nowhere: 'true' } } }));
    assert.equal(first.status, 201);
    const again = await server.api<ErrorBody>('POST', '/api/v1/namespaces/default/pods', busyboxPod('taken', ['true']));
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, 'AlreadyExists');
    assert.match(again.body.message, /"taken" already exists/);
    const pod = (await server.api<Record<string, unknown> & { metadata: Record<string, unknown> }>('GET', '/api/v1/namespaces/default/pods/taken')).body;
    pod.metadata.labels = { a: 'b' };
    const ok = await server.api('PUT', '/api/v1/namespaces/default/pods/taken', pod);
    assert.equal(ok.status, 200);
    const stale = await server.api<ErrorBody>('PUT', '/api/v1/namespaces/default/pods/taken', pod);
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    await server.api('DELETE', '/api/v1/namespaces/default/pods/taken?gracePeriodSeconds=0');
  });

  test('a pod that fits no node says why, in Kubernetes words', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('picky', ['true'], { spec: { nodeSelector: { disk: 'ssd' } } }));
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('huge', ['true'], { container: { resources: { requests: { memory: '100Ti' } } } }));
    const picky = await server.until('picky unschedulable', async () => {
      const p = await getPod(server, 'picky');
      return p?.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    });
    assert.equal(picky.reason, 'Unschedulable');
    assert.equal(picky.message, "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
    const huge = await server.until('huge unschedulable', async () => (await getPod(server, 'huge'))?.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'));
    assert.equal(huge.message, '0/1 nodes are available: 1 Insufficient memory.');
    assert.equal((await getPod(server, 'huge'))?.spec.nodeName, undefined);
  });

  test('a pod runs on the node and reports phase, IP, exit code and times', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('ok', ['sh', '-c', 'echo out; echo err >&2; sleep 0.3']));
    const running = await waitContainer(server, 'ok', 'running', (cs) => cs.state.running !== undefined || cs.state.terminated !== undefined);
    assert.equal(running.spec.nodeName, 'node-1');
    assert.match(running.status?.podIP ?? '', /^10\.2[0-4][0-9]\./);
    const done = await waitContainer(server, 'ok', 'terminated', (cs) => cs.state.terminated !== undefined);
    assert.equal(done.status?.phase, 'Succeeded');
    const t = done.status?.containerStatuses?.[0]?.state.terminated;
    assert.equal(t?.exitCode, 0);
    assert.equal(t?.reason, 'Completed');
    assert.ok(t?.startedAt && t.finishedAt && Date.parse(t.finishedAt) >= Date.parse(t.startedAt));
    const log = await fetch(`${server.url}/api/v1/namespaces/default/pods/ok/log`, { headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(await log.text(), 'out\nerr\n');
    const errOnly = await fetch(`${server.url}/api/v1/namespaces/default/pods/ok/log?stream=Stderr`, { headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(await errOnly.text(), 'err\n');
  });

  test('a failing container reports Error with its exit code and the pod fails', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('fails', ['sh', '-c', 'exit 3']));
    const pod = await waitContainer(server, 'fails', 'terminated', (cs) => cs.state.terminated !== undefined);
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 3);
    assert.equal(pod.status?.containerStatuses?.[0]?.state.terminated?.reason, 'Error');
  });

  test('a command that does not exist exits 127, as Docker reports it', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('nocmd', ['/no/such/binary']));
    const pod = await waitContainer(server, 'nocmd', 'terminated', (cs) => cs.state.terminated !== undefined);
    assert.equal(pod.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 127);
    assert.equal(pod.status?.phase, 'Failed');
  });

  test('an unknown image shows ErrImagePull with a message, and the server keeps serving', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'noimage' }, spec: { containers: [{ name: 'c', image: 'does-not-exist:1' }] } });
    const pod = await waitContainer(server, 'noimage', 'image error', (cs) => /ErrImagePull|ImagePullBackOff/.test(cs.state.waiting?.reason ?? ''));
    assert.match(pod.status?.containerStatuses?.[0]?.state.waiting?.message ?? '', /does-not-exist:1/);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
  });

  test('the containers of one pod share a network namespace', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pair' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'web', image: 'busybox', command: ['sh', '-c', 'mkdir -p /w && echo shared > /w/index.html && httpd -f -p 8080 -h /w'] },
          { name: 'client', image: 'busybox', command: ['sh', '-c', 'for i in $(seq 1 50); do wget -q -O - http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1'] },
        ],
      },
    });
    const pod = await server.until('client finished', async () => {
      const p = await getPod(server, 'pair');
      const c = p?.status?.containerStatuses?.find((s) => s.name === 'client');
      return c?.state.terminated ? c : undefined;
    });
    assert.equal(pod.state.terminated?.exitCode, 0);
    const log = await fetch(`${server.url}/api/v1/namespaces/default/pods/pair/log?container=client`, { headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(await log.text(), 'shared\n');
  });

  test('a watch streams the changes of a pod from a resourceVersion', async () => {
    const created = await server.api<{ metadata: { resourceVersion: string } }>('POST', '/api/v1/namespaces/default/pods', busyboxPod('watched', ['true']));
    const res = await fetch(`${server.url}/api/v1/namespaces/default/pods?watch=1&resourceVersion=${Number(created.body.metadata.resourceVersion) - 1}&fieldSelector=metadata.name%3Dwatched`, { headers: { authorization: `Bearer ${server.token}` } });
    const reader = res.body!.getReader();
    const events: { type: string; object: { status?: { phase?: string } } }[] = [];
    let buf = '';
    while (!events.some((e) => e.object.status?.phase === 'Succeeded')) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) { events.push(JSON.parse(buf.slice(0, nl))); buf = buf.slice(nl + 1); }
    }
    await reader.cancel();
    assert.equal(events[0]?.type, 'ADDED');
    assert.ok(events.slice(1).every((e) => e.type === 'MODIFIED'));
    assert.equal(events.at(-1)?.object.status?.phase, 'Succeeded');
  });

  test('deleting a running pod stops its containers and then removes it', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('doomed', ['sleep', '1000']));
    await waitContainer(server, 'doomed', 'running', (cs) => cs.state.running !== undefined);
    const del = await server.api<{ metadata: { deletionTimestamp?: string } }>('DELETE', '/api/v1/namespaces/default/pods/doomed?gracePeriodSeconds=1');
    assert.equal(del.status, 200);
    assert.ok(del.body.metadata.deletionTimestamp, 'a running pod is marked for deletion first');
    await server.until('pod gone', async () => (await server.api('GET', '/api/v1/namespaces/default/pods/doomed')).status === 404);
  });
});
