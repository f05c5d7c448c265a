/**
 * bench:gpu-scheduler — GPU scheduling on 1,000 simulated nodes of 8 FAKE GPUs each (lanternd sim's
 * node objects, --gpus 8), in process: the scheduler's own cache and pass (runPass, with the node
 * sampling the running scheduler uses), no API. Half the pods ask for 1-8 GPUs, half for cpu only.
 * The same pods in the same order go through the default profile (AcceleratorPacking: MostAllocated
 * for GPUs) and through LeastAllocated for GPUs; it prints pods/s and the share of free GPUs left
 * fragmented (free GPUs on nodes that cannot take an 8-GPU pod / all free GPUs).
 *
 * Env: NODES (1000), GPUS (8 per node), PODS (3000), SEED (1).
 */
import type { Node } from '../src/api/node.js';
import type { Pod } from '../src/api/pod.js';
import { SchedulerCache, podKey } from '../src/scheduler/cache.js';
import { numFeasibleNodesToFind } from '../src/scheduler/framework/cycle.js';
import { runPass, type PassHost } from '../src/scheduler/framework/pass.js';
import { extensionsOf, type Profile } from '../src/scheduler/framework/plugin.js';
import { buildProfile } from '../src/scheduler/profile.js';
import { simulatedNode } from '../src/sim/sim-node.js';
import { runBenchmark } from './lib/cleanup.js';
import { load, machineReport } from './lib/machine.js';
import { ratio, table } from './lib/stats.js';

const num = (name: string, dflt: number): number => { const v = Number(process.env[name]); return Number.isFinite(v) && v > 0 ? v : dflt; };
const NODES = num('NODES', 1000);
const GPUS = num('GPUS', 8);
const PODS = num('PODS', 3000);
const SEED = num('SEED', 1);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

/** A small deterministic PRNG (mulberry32), so both strategies see the same pods. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

function makePods(): Pod[] {
  const rand = rng(SEED);
  return Array.from({ length: PODS }, (_, i) => {
    const gpus = i % 2 === 0 ? 1 + Math.floor(rand() * GPUS) : 0;
    const limits = gpus > 0 ? { 'nvidia.com/gpu': String(gpus) } : undefined;
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `p-${i}`, namespace: 'default', uid: `uid-${i}`, creationTimestamp: new Date(1_700_000_000_000 + i).toISOString() },
      spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '500m', memory: '1Gi' }, ...(limits ? { limits } : {}) } }] },
    } satisfies Pod;
  });
}

interface Run { podsPerSec: number; placedGpuPods: number; gpuPods: number; freeGpus: number; fragmented: number; fullyFreeNodes: number }

function run(nodes: Node[], pods: Pod[], profile: Profile): Run {
  const cache = new SchedulerCache(extensionsOf(profile));
  for (const n of nodes) cache.setNode(n);
  let start = 0;
  const host: PassHost = {
    snapshot: () => cache.snapshot(), assume: (p, n) => cache.assume(p, n), forget: (p) => cache.forget(p), take: (p) => cache.getPod(podKey(p)),
    sampling: (all) => ({ limit: numFeasibleNodesToFind(all), start }),
    sampled: (processed, all) => { if (all > 0) start = (start + processed) % all; },
  };
  let placedGpuPods = 0;
  const gpuPods = pods.filter((p) => p.spec.containers[0]?.resources?.limits).length;
  const t0 = performance.now();
  for (const pod of pods) {
    cache.setPod(pod);
    for (const o of runPass(pod, profile, host).outcomes) if (o.kind === 'bind' && o.pod.spec.containers[0]?.resources?.limits) placedGpuPods++;
  }
  const seconds = (performance.now() - t0) / 1000;
  let freeGpus = 0;
  let fragmented = 0;
  let fullyFreeNodes = 0;
  for (const n of cache.snapshot().nodes) {
    const free = (n.allocatable['nvidia.com/gpu'] ?? 0) - (n.requested['nvidia.com/gpu'] ?? 0);
    freeGpus += free;
    if (free < GPUS) fragmented += free; else fullyFreeNodes++;
  }
  return { podsPerSec: pods.length / seconds, placedGpuPods, gpuPods, freeGpus, fragmented, fullyFreeNodes };
}

runBenchmark('bench:gpu-scheduler', async () => {
  say('== bench:gpu-scheduler: GPU packing vs LeastAllocated, in process (the scheduler\'s cache and pass, no API) ==');
  say(machineReport());
  say(`${NODES} simulated nodes x ${GPUS} FAKE GPUs (64 cpu, 512Gi); ${PODS} pods in one order: half ask 1-${GPUS} GPUs (uniform, seed ${SEED}), half cpu only`);
  const nodes = Array.from({ length: NODES }, (_, i) => simulatedNode(`sim-gpu-${i}`, i, { cpu: '64', memory: '512Gi', pods: 110, labels: {}, version: 'bench', gpus: GPUS }));
  const pods = makePods();
  run(nodes, pods.slice(0, 200), buildProfile()); // warm the JIT
  const packed = run(nodes, pods, buildProfile());
  const spread = run(nodes, pods, buildProfile({ acceleratorStrategy: 'LeastAllocated' }));
  const pct = (a: number, b: number): string => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
  const row = (name: string, r: Run): string[] => [name, `${r.podsPerSec.toFixed(0)}/s`, `${r.placedGpuPods}/${r.gpuPods}`, String(r.freeGpus), String(r.fullyFreeNodes), pct(r.fragmented, r.freeGpus)];
  say('');
  say(table([
    ['GPU scoring', 'pods/s', 'GPU pods placed', 'free GPUs', 'nodes with 8 free', 'free GPUs fragmented'],
    row('MostAllocated (default: AcceleratorPacking)', packed),
    row('LeastAllocated', spread),
  ]));
  say('');
  say(`throughput packing / LeastAllocated: ${ratio(packed.podsPerSec, spread.podsPerSec)}; fragmented share packing ${pct(packed.fragmented, packed.freeGpus)} vs ${pct(spread.fragmented, spread.freeGpus)}`);
  say(`load avg at the end: ${load()}`);
});
