/**
 * bench:gpu-start — start latency of a pod with one (FAKE) GPU against the same pod without, same run,
 * taking turns: `lcctl run --rm [--gpus 1] busybox true`, whole process. The GPU pod's extra work is
 * the registry's assignment (written to disk), the NVIDIA edits (device nodes, the node's CDI spec) and
 * the device cgroup rules. Target: ratio <= 1.1.
 */
import { runBenchmark, onCleanup } from './lib/cleanup.js';
import { lcctlBin, listPods, startLantern } from './lib/lantern.js';
import { machineReport } from './lib/machine.js';
import { timedOk, until } from './lib/proc.js';
import { rounds } from './lib/rounds.js';
import { median, ms, percentile, ratio, table, verdict } from './lib/stats.js';
import { makeFakeGpuRoot } from '../src/testing/fake-gpu/fake-root.js';

const WARMUPS = 2;
const RUNS = Number(process.env.GPU_START_RUNS ?? 15);
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

runBenchmark('bench:gpu-start', async () => {
  say('== bench:gpu-start: pod start latency with one FAKE GPU vs without ==');
  say(machineReport());
  const fake = await makeFakeGpuRoot({ model: 'a100x4', cdi: false });
  onCleanup('remove the fake driver root', () => fake.remove());
  const lantern = await startLantern({ args: ['--nvidia-driver-root', fake.root, '--cdi-spec-dirs', `${fake.root}/etc/cdi`, '--sysfs-root', fake.sysfsRoot] });
  await until('the node to advertise its GPUs', async () => {
    const n = await lantern.client.get<{ apiVersion: string; kind: string; metadata: { name: string }; status?: { allocatable?: Record<string, string> } }>('nodes', 'node-1');
    return n.status?.allocatable?.['nvidia.com/gpu'] === '4';
  }, 60_000, 200);
  const gone = async (): Promise<void> => { await until('the --rm pod to be gone', async () => (await listPods(lantern.client)).length === 0, 30_000, 20); };
  const samples = await rounds([
    { name: 'plain', run: () => timedOk(lcctlBin, ['run', '--rm', 'busybox', 'true'], lantern.env), after: gone },
    { name: 'gpu', run: () => timedOk(lcctlBin, ['run', '--rm', '--gpus', '1', 'busybox', 'true'], lantern.env), after: gone },
  ], WARMUPS, RUNS, (r) => { if (r % 5 === 0) process.stderr.write(`  round ${r}/${RUNS}\n`); });
  const plain = samples.get('plain')!;
  const gpu = samples.get('gpu')!;
  const row = (label: string, v: number[]): string[] => [label, ms(median(v)), ms(percentile(v, 90)), ms(Math.min(...v)), ms(Math.max(...v))];
  say(`\n-- whole-process latency: median and p90 of ${RUNS} runs after ${WARMUPS} warm-ups each, taking turns --`);
  say(table([
    ['command', 'median', 'p90', 'min', 'max'],
    row('lcctl run --rm busybox true', plain),
    row('lcctl run --rm --gpus 1 busybox true', gpu),
  ]));
  const r = median(gpu) / median(plain);
  say(`ratio gpu/plain (medians): ${ratio(median(gpu), median(plain))}  (target <= 1.1: ${verdict(r <= 1.1)})`);
  say('the GPU is FAKE (mknod device nodes, placeholder libraries): the figures time Lantern\'s own work, not a driver\'s.');
});
