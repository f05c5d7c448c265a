import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../src/testing/eventually.js';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { busyboxPod, getPod, importBusybox, waitContainer, type PodView } from './harness/pods.js';

const logOf = async (server: TestServer, name: string): Promise<string> =>
  (await fetch(`${server.url}/api/v1/namespaces/default/pods/${name}/log`, { headers: { authorization: `Bearer ${server.token}` } })).text();

describe('nothing is lost when lanternd is killed with SIGKILL', () => {
  const server = new TestServer();
  before(async () => { await server.start(); await importBusybox(server, busyboxArchive()); });
  after(async () => { await server.stop(); });

  test('containers keep running, are re-adopted, logs continue, and exits during the outage are reported', async () => {
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('ticker', ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done']));
    await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('quitter', ['sh', '-c', 'while [ ! -e /tmp/go ]; do sleep 0.05; done; exit 7']));
    const ticker = await waitContainer(server, 'ticker', 'running', (cs) => cs.state.running !== undefined);
    const quitterPod = await waitContainer(server, 'quitter', 'running', (cs) => cs.state.running !== undefined);
    const tickerId = ticker.status?.containerStatuses?.[0]?.containerID;

    await server.kill9();
    // While the daemon is down, make one container exit on its own (through runc directly).
    const { spawnSync } = await import('node:child_process');
    const id = (quitterPod?.status?.containerStatuses?.[0]?.containerID ?? '').replace('lantern://', '');
    const runcRoot = `${server.dataDir}/agent/containers/runc`;
    const touched = spawnSync('runc', ['--root', runcRoot, 'exec', id, 'touch', '/tmp/go']);
    assert.equal(touched.status, 0, touched.stderr?.toString());
    let state = '';
    await eventually('the container to stop', () => /"status": "stopped"/.test(state = spawnSync('runc', ['--root', runcRoot, 'state', id], { encoding: 'utf8' }).stdout), { timeoutMs: 10_000 }).catch(() => undefined);
    assert.match(state, /"status": "stopped"/, 'the container exited while the daemon was down');

    const beforeRestart = await (async () => {
      const ps = spawnSync('runc', ['--root', runcRoot, 'state', tickerId!.replace('lantern://', '')], { encoding: 'utf8' });
      return ps.stdout;
    })();
    assert.match(beforeRestart, /"status": "running"/, 'a container outlives the daemon');

    await server.start();
    const quitter = await waitContainer(server, 'quitter', 'exit reported after restart', (cs) => cs.state.terminated !== undefined);
    assert.equal(quitter.status?.containerStatuses?.[0]?.state.terminated?.exitCode, 7);
    assert.equal(quitter.status?.phase, 'Failed');

    const readopted: PodView | undefined = await getPod(server, 'ticker');
    assert.equal(readopted?.status?.containerStatuses?.[0]?.containerID, tickerId, 'the same container, not a new one');
    assert.equal(readopted?.status?.containerStatuses?.[0]?.restartCount, 0);
    const first = await logOf(server, 'ticker');
    const lines = first.trim().split('\n').length;
    await server.until('log continues after the restart', async () => (await logOf(server, 'ticker')).trim().split('\n').length > lines + 3);
    const all = (await logOf(server, 'ticker')).trim().split('\n');
    all.forEach((line, i) => assert.equal(line, `tick ${i}`, 'no line lost or repeated'));
  });

  test('every acknowledged write survives a SIGKILL in the middle of a burst, and no half object appears', async () => {
    if (server.proc?.exitCode !== null) await server.start();
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number): Promise<void> => {
      for (let i = 0; !stop; i++) {
        const name = `burst-${w}-${i}`;
        try {
          const r = await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod(name, ['true'], { spec: { nodeSelector: { burst: 'never' } } }));
          if (r.status === 201) acknowledged.push(name);
        } catch { return; /* the daemon died under us */ }
      }
    };
    const writers = Array.from({ length: 16 }, (_, w) => writer(w));
    await server.until('some writes acknowledged', async () => acknowledged.length >= 200, 60_000);
    await server.kill9();
    stop = true;
    await Promise.all(writers);
    const acked = [...acknowledged];
    await server.start();
    const list = await server.api<{ items: PodView[] }>('GET', '/api/v1/namespaces/default/pods?labelSelector=');
    const names = new Set(list.body.items.map((p) => p.metadata.name));
    for (const name of acked) assert.ok(names.has(name), `acknowledged pod ${name} is there after restart`);
    for (const p of list.body.items.filter((x) => x.metadata.name.startsWith('burst-'))) {
      assert.ok(p.metadata.uid && p.metadata.resourceVersion, `pod ${p.metadata.name} is whole`);
    }
    // The store keeps working after the crash.
    const more = await server.api('POST', '/api/v1/namespaces/default/pods', busyboxPod('after-crash', ['true'], { spec: { nodeSelector: { burst: 'never' } } }));
    assert.equal(more.status, 201);
  });
});
