/**
 * Fair share of the queue controller: three queues weighted 1:2:3 keep a simulated cluster saturated
 * with Jobs of random size and length; the bench measures each queue's time-averaged share of the
 * cluster's cpu against 1:2:3. In-process API over a real SQLite store, fake Ready nodes, and a clock
 * the bench moves one simulated second per pass (the bench plays the kubelet: a Job ends when its
 * simulated run time is up). BENCH_SECONDS (600), BENCH_NODES (15 × 4 cpu) make it shorter/smaller.
 */
import { openTestApi } from '../src/testing/api.js';
import { ManualClock } from '../src/testing/clock.js';
import { QueueController } from '../src/controllers/queue/index.js';
import type { Node } from '../src/api/node.js';
import type { Job } from '../src/api/schema/job.js';
import type { Queue } from '../src/api/schema/queue.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 600);
const nodeCount = Number(process.env.BENCH_NODES ?? 15);
const warmup = Math.min(60, Math.floor(seconds / 10));
const weights: Record<string, number> = { q1: 1, q2: 2, q3: 3 };
let seed = 42;
const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };

async function main(): Promise<void> {
  const t = await openTestApi({ prefix: 'lantern-bench-queues-' });
  const api = t.api;
  const clock = new ManualClock(Date.now());
  try {
    for (let i = 0; i < nodeCount; i++) {
      const n = await api.create<Node>('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: `sim-${i}` } });
      await api.updateStatus('nodes', { ...n, status: { allocatable: { cpu: '4', memory: '16Gi' }, conditions: [{ type: 'Ready', status: 'True' }] } });
    }
    for (const [name, weight] of Object.entries(weights)) await api.create<Queue>('queues', { apiVersion: 'lantern.dev/v1', kind: 'Queue', metadata: { name }, spec: { weight } });
    const controller = new QueueController({ api, clock, log: () => undefined });
    const running = new Map<string, { queue: string; cpu: number; ends: number }>();
    const pending: Record<string, number> = { q1: 0, q2: 0, q3: 0 };
    const size = new Map<string, { queue: string; cpu: number; secs: number }>();
    const cpuSeconds: Record<string, number> = { q1: 0, q2: 0, q3: 0 };
    let made = 0;
    let passMs = 0;
    for (let t = 0; t < seconds; t++) {
      for (const [key, r] of running) {
        if (r.ends > t) continue;
        const [ns, name] = key.split('/') as [string, string];
        await api.delete('jobs', name, ns);
        running.delete(key);
      }
      for (const queue of Object.keys(weights)) {
        while (pending[queue]! < 20) {
          const cpu = rand() < 0.5 ? 1 : 2;
          const name = `${queue}-${made++}`;
          size.set(`default/${name}`, { queue, cpu, secs: 5 + Math.floor(rand() * 25) });
          await api.create<Job>('jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, labels: { 'lantern.dev/queue-name': queue } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: String(cpu) } } }] } } } });
          pending[queue]!++;
        }
      }
      const started = performance.now();
      const result = await controller.reconcile();
      passMs += performance.now() - started;
      for (const key of result.admitted) {
        const s = size.get(key)!;
        running.set(key, { queue: s.queue, cpu: s.cpu, ends: t + s.secs });
        pending[s.queue]!--;
      }
      if (t >= warmup) for (const r of running.values()) cpuSeconds[r.queue]! += r.cpu;
      clock.advance(1000);
    }
    const total = Object.values(cpuSeconds).reduce((a, b) => a + b, 0);
    const capacity = nodeCount * 4 * (seconds - warmup);
    console.log(`queues: ${seconds} simulated s (first ${warmup} s not measured), ${nodeCount} nodes × 4 cpu, ${made} Jobs of 1-2 cpu running 5-29 s`);
    console.log(`cluster cpu in use: ${(100 * total / capacity).toFixed(1)}%; mean controller pass: ${(passMs / seconds).toFixed(1)} ms`);
    console.log('queue  weight  target  measured  deviation');
    for (const [q, w] of Object.entries(weights)) {
      const target = w / 6;
      const got = cpuSeconds[q]! / total;
      console.log(`${q.padEnd(6)} ${String(w).padEnd(7)} ${(100 * target).toFixed(1).padStart(5)}%  ${(100 * got).toFixed(1).padStart(7)}%  ${(100 * (got - target) / target).toFixed(1).padStart(8)}%`);
    }
  } finally {
    await t.close();
  }
}

await main();
