/**
 * bench:rollout — a 100-replica Deployment on 20 simulated nodes (`lanternd sim`) against a real
 * `lanternd server --no-agent`, rolled to a new template with maxSurge 25% and maxUnavailable 0, three
 * times: how long each rollout takes (template update until every pod is new and available) and the
 * fewest ready pods and the most pods seen at once during it (from a pod watch).
 */
import type { Pod } from '../src/api/pod.js';
import type { Deployment } from '../src/api/schema/apps.js';
import { rolloutState } from '../src/cli/deployments/rollout-status.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { newClient } from './lib/lantern.js';
import { TestServer } from '../test/harness/lanternd.js';
import { machineReport } from './lib/machine.js';
import { sleep } from './lib/proc.js';
import { startSim, waitReady } from './lib/sim.js';
import { table } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const REPLICAS = Number(process.env.BENCH_REPLICAS ?? '100');
const NODES = Number(process.env.BENCH_NODES ?? '20');
const ROUNDS = 3;

const deployment = (image: string): Deployment => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench', namespace: 'default' },
  spec: {
    replicas: REPLICAS, selector: { matchLabels: { app: 'bench' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
  },
});

const isReady = (p: Pod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const live = (p: Pod): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';

runBenchmark('bench:rollout', async () => {
  say('== bench:rollout: rolling a Deployment on simulated nodes ==');
  say(machineReport());
  say(`${REPLICAS} replicas on ${NODES} simulated nodes, RollingUpdate maxSurge 25% maxUnavailable 0; server --no-agent`);
  const server = new TestServer(['--no-agent']);
  onCleanup('stop lanternd server and remove its data dir', () => server.stop());
  await server.start();
  const client = newClient(server);
  const sim = startSim(server.url, server.token, NODES, '5s');
  await waitReady(client, NODES, performance.now(), () => (sim.proc.exitCode !== null ? `lanternd sim exited: ${sim.output()}` : undefined), 120_000);

  // Every pod as the watch last saw it; the counts are taken after each event.
  const pods = new Map<string, Pod>();
  let minReady = Infinity;
  let maxPods = 0;
  const w = client.watch<Pod>('pods', 'default', { labelSelector: 'app=bench' }, (e) => {
    if (e.type === 'DELETED') pods.delete(e.object.metadata.name); else pods.set(e.object.metadata.name, e.object);
    const alive = [...pods.values()].filter(live);
    minReady = Math.min(minReady, alive.filter(isReady).length);
    maxPods = Math.max(maxPods, alive.length);
  });
  onCleanup('stop the pod watch', () => { w.stop(); });

  const waitDone = async (what: string): Promise<void> => {
    const deadline = performance.now() + 600_000;
    for (;;) {
      checkStop();
      const d = await client.get<Deployment>('deployments', 'bench', 'default');
      const s = rolloutState(d);
      if (s.failed) throw new Error(`${what}: ${s.message}`);
      if (s.done) return;
      if (performance.now() > deadline) throw new Error(`${what}: timed out: ${s.message}`);
      await sleep(20);
    }
  };

  const t0 = performance.now();
  await client.create('deployments', deployment('busybox:0'));
  await waitDone('first rollout');
  say(`initial ${REPLICAS} pods available after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const rows: string[][] = [['round', 'rollout time', 'min ready pods', 'max pods at once', 'bound (replicas .. replicas + surge)']];
  for (let round = 1; round <= ROUNDS; round++) {
    minReady = Infinity;
    maxPods = 0;
    const d = await client.get<Deployment>('deployments', 'bench', 'default');
    d.spec.template.spec.containers[0]!.image = `busybox:${round}`;
    const start = performance.now();
    await client.update('deployments', d);
    await waitDone(`round ${round}`);
    const secs = (performance.now() - start) / 1000;
    rows.push([String(round), `${secs.toFixed(1)} s`, String(minReady), String(maxPods), `${REPLICAS} .. ${REPLICAS + Math.ceil(REPLICAS / 4)}`]);
    say(`round ${round}: ${secs.toFixed(1)} s, min ready ${minReady}, max pods ${maxPods}`);
  }
  say();
  say(table(rows));
});
