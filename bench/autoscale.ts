/**
 * bench:autoscale — autoscaler reaction on real busybox containers: a Deployment of 1 replica (cpu
 * request 100m) idles until a load step, then burns CPU; an HPA (min 1, max 4, cpu 50%) scales it.
 * Per trial: t0 = the step (`lcctl exec POD touch /trigger/go` returned), t1 = the Deployment's
 * spec.replicas first raised by the HPA, t2 = that many pods Ready. Run per HPA sync period; the step
 * lands at a random phase of the HPA's timer. /trigger is a hostPath all replicas share.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pod } from '../src/api/pod.js';
import type { Deployment } from '../src/api/schema/apps.js';
import type { HorizontalPodAutoscaler } from '../src/api/schema/hpa.js';
import { checkStop, onCleanup, runBenchmark } from './lib/cleanup.js';
import { startLantern, type Lantern } from './lib/lantern.js';
import { load, machineReport } from './lib/machine.js';
import { sleep, until } from './lib/proc.js';
import { median, table } from './lib/stats.js';

const say = (s = ''): void => { process.stdout.write(`${s}\n`); };
const SYNCS = (process.env.BENCH_SYNC ?? '5s,15s').split(',').map((s) => s.trim()).filter((s) => s !== '');
const TRIALS = Number(process.env.BENCH_RUNS ?? '3');
const NS = '/api/v1/namespaces/default';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const HPA = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';

// The trigger is a file on a hostPath every replica mounts: one touch loads the old pod and every new one.
const SCRIPT = 'while [ ! -f /trigger/go ]; do sleep 0.2; done; while :; do :; done';

const deployment = (name: string, triggerDir: string): Deployment => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: {
    replicas: 1, selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        terminationGracePeriodSeconds: 0,
        volumes: [{ name: 'trigger', hostPath: { path: triggerDir, type: 'Directory' } }],
        containers: [{
          name: 'main', image: 'busybox:latest', command: ['sh', '-c', SCRIPT],
          resources: { requests: { cpu: '100m' } }, volumeMounts: [{ name: 'trigger', mountPath: '/trigger' }],
        }],
      },
    },
  },
}) as Deployment;

const hpa = (name: string): HorizontalPodAutoscaler => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 1, maxReplicas: 4,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  },
}) as HorizontalPodAutoscaler;

const isReady = (p: Pod): boolean => !p.metadata.deletionTimestamp && (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);

interface Trial { phaseMs: number; execMs: number; t1: number; t2: number; replicas: number; utilization: string; lastScaleTime: string }

async function mustApi<T>(l: Lantern, method: string, p: string, body?: unknown): Promise<T> {
  const r = await l.server.api<T>(method, p, body);
  if (r.status >= 300) throw new Error(`${method} ${p}: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

const pods = async (l: Lantern, name: string): Promise<Pod[]> =>
  (await mustApi<{ items: Pod[] }>(l, 'GET', `${NS}/pods?labelSelector=app%3D${name}`)).items;

/** Remove the HPA first (so it cannot scale back up), then the Deployment, and wait for its pods to go. */
async function teardown(l: Lantern, name: string, trigger: string): Promise<void> {
  rmSync(path.join(trigger, 'go'), { force: true });
  await l.server.api('DELETE', `${HPA}/${name}`);
  await l.server.api('DELETE', `${DEPLOY}/${name}`);
  await until(`pods of ${name} gone`, async () => (await pods(l, name)).length === 0, 120_000, 200);
}

async function trial(l: Lantern, name: string, trigger: string, syncMs: number): Promise<Trial> {
  rmSync(path.join(trigger, 'go'), { force: true });
  await mustApi(l, 'POST', DEPLOY, deployment(name, trigger));
  await mustApi(l, 'POST', HPA, hpa(name));
  const [pod] = await until(`1 Ready pod of ${name}`, async () => { const p = (await pods(l, name)).filter(isReady); return p.length === 1 && p; }, 120_000, 100);
  // Let the HPA see the idle pod for two syncs, so the step lands on a settled autoscaler.
  await until(`HPA ${name} to report`, async () => (await mustApi<HorizontalPodAutoscaler>(l, 'GET', `${HPA}/${name}`)).status?.currentMetrics !== undefined, 60_000, 200);
  // The wait above ends right after a sync; a random extra wait makes the step land anywhere in the period.
  const phaseMs = Math.random() * syncMs;
  await sleep(2 * syncMs + phaseMs);
  checkStop();
  const before = await mustApi<Deployment>(l, 'GET', `${DEPLOY}/${name}`);
  if (before.spec.replicas !== 1) throw new Error(`${name} has ${String(before.spec.replicas)} replicas before the load step (want 1): the idle pod is not idle`);

  const s = performance.now();
  const ex = await l.server.lcctl(['exec', pod!.metadata.name, 'touch', '/trigger/go']);
  const t0 = performance.now();
  if (ex.code !== 0) throw new Error(`lcctl exec failed (${ex.code}): ${ex.stderr}`);
  const replicas = await until(`HPA ${name} to scale up`, async () => {
    checkStop();
    const n = (await mustApi<Deployment>(l, 'GET', `${DEPLOY}/${name}`)).spec.replicas ?? 1;
    return n > 1 && n;
  }, 10 * syncMs + 60_000, 50);
  const t1 = performance.now();
  await until(`${replicas} Ready pods of ${name}`, async () => { checkStop(); return (await pods(l, name)).filter(isReady).length >= replicas; }, 120_000, 50);
  const t2 = performance.now();
  const h = await mustApi<HorizontalPodAutoscaler>(l, 'GET', `${HPA}/${name}`);
  const util = h.status?.currentMetrics?.[0]?.resource?.current.averageUtilization;
  return { phaseMs, execMs: t0 - s, t1: t1 - t0, t2: t2 - t0, replicas, utilization: util === undefined ? '?' : `${util}%`, lastScaleTime: h.status?.lastScaleTime ?? '?' };
}

const secs = (v: number): string => `${(v / 1000).toFixed(2)} s`;

runBenchmark('bench:autoscale', async () => {
  say('== bench:autoscale: load step -> HPA scale-up -> new replicas Ready (real busybox containers) ==');
  say(machineReport());
  say(`Deployment 1 replica, cpu request 100m; HPA min 1 max 4 cpu 50% (default behavior); ${TRIALS} trials per sync period`);
  const trigger = mkdtempSync(path.join(os.tmpdir(), 'lantern-autoscale-'));
  onCleanup('remove the trigger dir', () => { rmSync(trigger, { recursive: true, force: true }); });
  const summary: string[][] = [['sync period', 'median t1 (scale-up)', 'median t2 (Ready)', 'trials']];
  for (const sync of SYNCS) {
    checkStop();
    const syncMs = Number(/^(\d+)s$/.exec(sync)?.[1] ?? NaN) * 1000;
    if (!Number.isFinite(syncMs)) throw new Error(`BENCH_SYNC: "${sync}" is not a whole number of seconds like 5s`);
    say(`\n-- lanternd server --hpa-sync-period ${sync} (metrics: cAdvisor scraped on demand at each sync; CPU = rate since the previous sync's scrape, >= 1 s) --`);
    const l = await startLantern({ args: ['--hpa-sync-period', sync] });
    const rows: string[][] = [['trial', 'step offset', 'exec', 't1 scale-up', 'replicas', 'util at t2', 't2 all Ready', 'Ready after scale-up', 'lastScaleTime']];
    const t1s: number[] = [];
    const t2s: number[] = [];
    for (let i = 1; i <= TRIALS; i++) {
      const name = `as-${syncMs / 1000}s-${i}`;
      let removed = false;
      onCleanup(`delete ${name}`, () => (removed ? undefined : teardown(l, name, trigger)));
      const t = await trial(l, name, trigger, syncMs);
      await teardown(l, name, trigger);
      removed = true;
      t1s.push(t.t1);
      t2s.push(t.t2);
      rows.push([String(i), secs(t.phaseMs), secs(t.execMs), secs(t.t1), `1 -> ${t.replicas}`, t.utilization, secs(t.t2), secs(t.t2 - t.t1), t.lastScaleTime]);
      say(`trial ${i}: t1 ${secs(t.t1)}, t2 ${secs(t.t2)} (1 -> ${t.replicas}); load avg ${load()}`);
    }
    say(table(rows));
    say(`median: t1 ${secs(median(t1s))}, t2 ${secs(median(t2s))} (bound: t1 <= sync period ${sync} + 1 s scrape pair + API)`);
    summary.push([sync, secs(median(t1s)), secs(median(t2s)), String(TRIALS)]);
    await l.server.stop();
  }
  say('\n== summary (t0 = lcctl exec of the load step returned) ==');
  say(table(summary));
  say(`load avg at end: ${load()}`);
});
