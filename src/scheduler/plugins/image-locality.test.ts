import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MakeNode, MakePod, runPlugin } from '../testing/builders.js';
import { SchedulerCache } from '../cache.js';
import { imageCountsKey, imageLocality, normalizeImageName } from './image-locality.js';

const MB = 1024 * 1024;

describe('normalizeImageName', () => {
  const cases: [string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest'],
    ['ghcr.io/org/app', 'ghcr.io/org/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['registry:5000/team/app:v2', 'registry:5000/team/app:v2'],
    [`busybox@sha256:${'a'.repeat(64)}`, `docker.io/library/busybox@sha256:${'a'.repeat(64)}`],
  ];
  for (const [given, want] of cases) test(`${given} -> ${want}`, () => assert.equal(normalizeImageName(given), want));
});

describe('ImageLocality score', () => {
  const run = (images: string[], nodes: ReturnType<ReturnType<typeof MakeNode>['Obj']>[]) => {
    const pod = MakePod().Name('p');
    for (const i of images) pod.Container(i);
    return runPlugin(imageLocality, pod.Obj(), nodes).scores;
  };
  const cases: [string, string[], [string, number, string[]][], Record<string, number>][] = [
    ['the node holding the image scores by its size, scaled by how few nodes have it', ['busybox'],
      [['n1', 500 * MB, ['docker.io/library/busybox:latest']], ['n2', 0, []]], { n1: 23, n2: 0 }],
    ['an image on every node is not scaled down', ['busybox'],
      [['n1', 500 * MB, ['docker.io/library/busybox:latest']], ['n2', 500 * MB, ['docker.io/library/busybox:latest']]], { n1: 48, n2: 48 }],
    ['below 23MB an image earns nothing', ['busybox'], [['n1', 20 * MB, ['docker.io/library/busybox:latest']]], { n1: 0 }],
    ['1000MB per container earns the full score', ['busybox'], [['n1', 2000 * MB, ['docker.io/library/busybox:latest']]], { n1: 100 }],
    ['the ceiling grows with the number of containers', ['busybox', 'nginx:1.25'], [['n1', 1000 * MB, ['docker.io/library/busybox:latest']]], { n1: 49 }],
    ['another tag is another image', ['busybox:1.36'], [['n1', 900 * MB, ['docker.io/library/busybox:latest']]], { n1: 0 }],
    ['any of the image\'s names matches, in any spelling', ['nginx:1.25'], [['n1', 1000 * MB, ['sha256-only', 'nginx:1.25']]], { n1: 100 }],
  ];
  for (const [what, images, nodeImages, want] of cases) {
    test(what, () => {
      const nodes = nodeImages.map(([name, size, names]) => {
        const b = MakeNode().Name(name);
        if (names.length > 0) b.Image(size, ...names);
        return b.Obj();
      });
      assert.deepEqual(run(images, nodes), want);
    });
  }
});

// Moved from cache.test.ts: the counts are ImageLocality's cache extension now.
describe('ImageLocality cache extension', () => {
  test('counts on how many nodes each image is, as nodes come, change and go', () => {
    const cache = new SchedulerCache([imageCountsKey]);
    cache.setNode(MakeNode().Name('a').Image(100, 'busybox:1').Obj());
    cache.setNode(MakeNode().Name('b').Image(100, 'docker.io/library/busybox:1').Image(5, 'nginx').Obj());
    const counts = () => Object.fromEntries(cache.snapshot().extensions?.get(imageCountsKey)?.entries() ?? []);
    assert.deepEqual(counts(), { 'docker.io/library/busybox:1': 2, 'docker.io/library/nginx:latest': 1 });
    cache.setNode(MakeNode().Name('b').Image(5, 'nginx').Obj());
    cache.deleteNode('a');
    assert.deepEqual(counts(), { 'docker.io/library/nginx:latest': 1 });
  });
});
