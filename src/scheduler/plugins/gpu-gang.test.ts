import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { PodGroup } from '../../api/schema/pod-group.js';
import { GangAnnotations } from '../../api/annotations.js';
import { MakeNode, MakePod } from '../testing/builders.js';
import { SchedulerCache, podKey } from '../cache.js';
import { runPass, type PassHost } from '../framework/pass.js';
import { extensionsOf } from '../framework/plugin.js';
import { defaultProfile } from '../profile.js';

const gpuNodes = (gpus: number[]): Node[] => gpus.map((g, i) => MakeNode().Name(`gpu${i}`).Label('kubernetes.io/hostname', `gpu${i}`).Capacity({ cpu: '8', memory: '32Gi', 'nvidia.com/gpu': String(g) }).Obj());
const worker = (i: number): Pod => {
  const p = MakePod().Name(`train-${i}`).Label('job-name', 'train').Req({ cpu: '1' }, { 'nvidia.com/gpu': '1' }).Obj();
  p.metadata.annotations = { [GangAnnotations.group]: 'train' };
  return p;
};

/** One scheduler pass over a distributed-training gang (minMember = the workers), as the scheduler runs it. */
function placeGang(workers: Pod[], nodes: Node[], bound: Pod[] = []): { placed: string[]; message?: string; reserved: number } {
  const cache = new SchedulerCache(extensionsOf(defaultProfile));
  for (const n of nodes) cache.setNode(n);
  for (const p of bound) cache.setPod(p);
  const pg: PodGroup = { apiVersion: 'lantern.dev/v1', kind: 'PodGroup', metadata: { name: 'train', namespace: 'default' }, spec: { minMember: workers.length } };
  cache.objectChanged('podgroups', { type: 'ADDED', object: pg });
  for (const p of workers) cache.setPod(p);
  const host: PassHost = { snapshot: () => cache.snapshot(), assume: (p, n) => cache.assume(p, n), forget: (p) => cache.forget(p), take: (p) => cache.getPod(podKey(p)) };
  const result = runPass(workers[0]!, defaultProfile, host);
  const placed = result.outcomes.flatMap((o) => (o.kind === 'bind' ? [`${o.pod.metadata.name}@${o.node}`] : []));
  const rejected = result.outcomes.find((o) => o.kind === 'rejected');
  const message = rejected?.kind === 'rejected' ? rejected.message : result.groups.find((g) => g.key === 'default/train')?.status.message;
  const reserved = cache.snapshot().nodes.reduce((n, node) => n + node.pods.filter((p) => p.metadata.name.startsWith('train-')).length, 0);
  return { placed, ...(message ? { message } : {}), reserved };
}

describe('gangs with GPUs', () => {
  test('a 2-node x 1-GPU training gang gets one GPU on each node', () => {
    const r = placeGang([worker(0), worker(1)], gpuNodes([1, 1]));
    assert.deepEqual(r.placed, ['train-0@gpu0', 'train-1@gpu1']);
  });

  test('when only one GPU is free the gang is placed all or nothing: nothing, and the reason names the GPUs', () => {
    const holder = MakePod().Name('other').Req({ cpu: '1' }, { 'nvidia.com/gpu': '1' }).NodeName('gpu1').Obj();
    const r = placeGang([worker(0), worker(1)], gpuNodes([1, 1]), [holder]);
    assert.deepEqual(r.placed, []);
    assert.match(r.message ?? '', /only 1 of minMember 2 pods fit together; 0\/2 nodes are available: 2 Insufficient nvidia\.com\/gpu\./);
    assert.equal(r.reserved, 0, 'the member that fitted holds no GPU');
  });
});
