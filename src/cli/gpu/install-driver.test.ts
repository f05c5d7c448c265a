import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withTestApi } from '../../testing/api.js';
import type { Node } from '../../api/node.js';
import type { Job } from '../../api/schema/job.js';
import { installDriver } from './install-driver.js';
import { installJob, installScript } from './install-driver-job.js';

const node = (name: string, labels: Record<string, string> = {}): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} });

test('a node without an NVIDIA PCI device is listed as skipped, and no Job is made for it', () => withTestApi(async (t) => {
  await t.api.create('nodes', node('cpu-only'));
  let out = '';
  const code = await installDriver(t.api, { node: 'cpu-only' }, {}, (s) => { out += s; });
  assert.equal(code, 0);
  assert.match(out, /^cpu-only\s+Skipped\s+no NVIDIA device, skipped$/m);
  assert.equal((await t.api.list<Job>('jobs', 'default')).items.length, 0);
}));

test('the Job is pinned to its node, privileged, with the host root, and runs the script in a chroot', () => {
  const job = installJob({ node: 'gpu-1', operation: 'abc123', image: 'busybox', script: installScript('535') });
  const pod = job.spec.template.spec!;
  assert.equal(pod.nodeName, 'gpu-1');
  assert.equal(pod.containers[0]?.securityContext?.privileged, true);
  assert.deepEqual(pod.volumes?.[0], { name: 'host', hostPath: { path: '/' } });
  assert.deepEqual(pod.containers[0]?.command?.slice(0, 4), ['chroot', '/host', '/bin/sh', '-c']);
  assert.equal(job.spec.backoffLimit, 0);
});

test('the script installs Debian\'s and Ubuntu\'s packages and names what other distributions need', () => {
  const s = installScript('535.161.08');
  assert.match(s, /V='535\.161\.08'/);
  assert.match(s, /debian\) apt-get update && apt-get install -y --no-install-recommends "nvidia-driver\$\{V:\+=\$V\*\}"/);
  assert.match(s, /ubuntu\) .*nvidia-driver-/);
  assert.match(s, /RHEL\/Rocky: dnf module install nvidia-driver/);
  assert.match(installScript("1'; rm -rf /"), /V='1'/, 'only digits and dots reach the script');
});
