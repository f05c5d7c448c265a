// A distributed-training gang with GPUs on a FAKE driver root (src/testing/fake-gpu: four fake A100s):
// an Indexed Job whose two members ask one GPU each gets both placed, each its own GPU, and
// WORLD_SIZE/RANK/MASTER_ADDR; a gang that asks more GPUs than the node has is placed all or
// nothing: nothing, with the scheduler's reason naming the GPUs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import type { Job } from '../src/api/schema/job.js';
import type { Pod } from '../src/api/pod.js';
import type { ObjectList } from '../src/api/meta.js';
import { makeFakeGpuRoot, type FakeGpuRoot } from '../src/testing/fake-gpu/fake-root.js';

const gangJob = (name: string, members: number, gpus: number): Job => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
  spec: {
    completions: members, parallelism: members, completionMode: 'Indexed', minAvailable: members,
    template: { spec: { restartPolicy: 'Never', containers: [{
      name: 'main', image: 'busybox', command: ['sh', '-c', 'echo "gang rank=$RANK world=$WORLD_SIZE master=$MASTER_ADDR gpus=$NVIDIA_VISIBLE_DEVICES"'],
      resources: { limits: { 'nvidia.com/gpu': String(gpus) } },
    }] } },
  },
});

describe('gangs with GPUs on a FAKE driver root', { timeout: 240_000 }, () => {
  let fake: FakeGpuRoot;
  let server: TestServer;
  let cli: Cli;
  const members = async (job: string): Promise<Pod[]> =>
    (await server.api<ObjectList<Pod>>('GET', `/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(`batch.kubernetes.io/job-name=${job}`)}`)).body.items;

  before(async () => {
    fake = await makeFakeGpuRoot({ model: 'a100x4' });
    server = new TestServer(['--nvidia-driver-root', fake.root, '--cdi-spec-dirs', fake.cdiDir, '--sysfs-root', fake.sysfsRoot, '--device-discovery-interval', '1s']);
    cli = new Cli(server);
    await server.start();
    await cli.importBusybox();
    await server.until('node-1 to advertise 4 GPUs', async () => (await server.api<{ status?: { allocatable?: Record<string, string> } }>('GET', '/api/v1/nodes/node-1')).body.status?.allocatable?.['nvidia.com/gpu'] === '4' || undefined);
  });
  after(async () => {
    await server?.stop();
    await fake?.remove();
  });

  test('a 2-member x 1-GPU training gang: both placed, each its own GPU, RANK 0 and 1 of WORLD_SIZE 2', async () => {
    assert.equal((await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', gangJob('train', 2, 1))).status, 201);
    await cli.ok(['wait', '--for=condition=complete', 'job/train', '--timeout=120s']);
    const lines: string[] = [];
    for (const p of await members('train')) lines.push(/gang .*/.exec(await cli.ok(['logs', p.metadata.name]))?.[0] ?? `no gang line from ${p.metadata.name}`);
    const parsed = lines.map((l) => /rank=(\d) world=(\d) master=(\S+) gpus=(GPU-\S+)/.exec(l));
    assert.ok(parsed.every((m) => m !== null), lines.join('\n'));
    assert.deepEqual(parsed.map((m) => m![1]).sort(), ['0', '1']);
    assert.deepEqual(parsed.map((m) => m![2]), ['2', '2']);
    assert.deepEqual(parsed.map((m) => m![3]), ['train-0', 'train-0']);
    const gpus = parsed.map((m) => m![4]!);
    assert.notEqual(gpus[0], gpus[1], 'each member has its own GPU');
    for (const g of gpus) assert.ok(fake.uuids.includes(g), `${g} is one of the node's GPUs`);
  });

  test('a gang asking 3 x 2 GPUs on a 4-GPU node: no member is placed, and the reason names the GPUs', async () => {
    assert.equal((await server.api('POST', '/apis/batch/v1/namespaces/default/jobs', gangJob('big', 3, 2))).status, 201);
    const pods = await server.until('the big gang\'s members to be unschedulable', async () => {
      const ps = await members('big');
      return ps.length === 3 && ps.every((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')) ? ps : undefined;
    }, 60_000);
    for (const p of pods) assert.equal(p.spec.nodeName, undefined, `${p.metadata.name} was not bound`);
    const message = pods.map((p) => p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? '').join('\n');
    assert.match(message, /only 2 of minMember 3 pods fit together; .*Insufficient nvidia\.com\/gpu/);
  });
});
