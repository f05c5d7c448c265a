// The Kubernetes device plugin API end to end: a TEST device plugin (src/testing/test-device-plugin.ts)
// registers over gRPC with a real lanternd's agent at DATA_DIR/agent/device-plugins/kubelet.sock, advertising
// example.com/foo x 2; the Node shows them, a pod asking for one gets the plugin's Allocate answer (an
// env var, a read-only mount and a char device made with mknod) inside a real runc container; health
// false takes a device out of allocatable; the plugin dying and registering again is followed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { busyboxPod, getPod } from './harness/pods.js';
import { TestDevicePlugin } from '../src/testing/test-device-plugin.js';

interface NodeView { status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> } }

describe('device plugin API v1beta1 with a test plugin', () => {
  let server: TestServer;
  let cli: Cli;
  let host: string;
  let plugin: TestDevicePlugin;
  const foo = async (): Promise<[string | undefined, string | undefined]> => {
    const n = (await server.api<NodeView>('GET', '/api/v1/nodes/node-1')).body;
    return [n.status?.capacity?.['example.com/foo'], n.status?.allocatable?.['example.com/foo']];
  };
  const allocatable = (want: string): Promise<true> => server.until(`example.com/foo allocatable ${want}`, async () => (await foo())[1] === want || undefined);

  before(async () => {
    host = await mkdtemp(path.join(tmpdir(), 'g3-dp-e2e-'));
    // The plugin's device (the same char device as /dev/null, 1:3) and the directory it mounts.
    execFileSync('mknod', [path.join(host, 'foo0'), 'c', '1', '3']);
    await mkdir(path.join(host, 'lib'));
    await writeFile(path.join(host, 'lib', 'hello'), 'from the foo plugin\n');
    server = new TestServer(['--device-discovery-interval', '1s']);
    cli = new Cli(server);
    await server.start();
    await cli.importBusybox();
    plugin = new TestDevicePlugin({
      dir: path.join(server.dataDir, 'agent', 'device-plugins'), resourceName: 'example.com/foo', endpoint: 'g3-foo.sock', devices: [{ id: 'foo-a' }, { id: 'foo-b' }],
      allocate: (ids) => ({
        envs: { FOO_VISIBLE_DEVICES: ids.join(',') },
        mounts: [{ containerPath: '/opt/foo', hostPath: path.join(host, 'lib'), readOnly: true }],
        devices: [{ containerPath: '/dev/foo0', hostPath: path.join(host, 'foo0'), permissions: 'rw' }],
      }),
    });
    await plugin.start();
  });
  after(async () => {
    await cli?.run(['delete', 'pod', 'foo-user', '--grace-period', '0']);
    await plugin?.stop();
    await server?.stop();
    await rm(host, { recursive: true, force: true });
  });

  test('the Node advertises the plugin\'s resource', async () => {
    await allocatable('2');
    assert.deepEqual(await foo(), ['2', '2']);
  });

  test('a pod asking for example.com/foo gets the env, the mount and the device in its container', async () => {
    const script = 'echo "devices=$FOO_VISIBLE_DEVICES"; cat /opt/foo/hello; [ -c /dev/foo0 ] && echo chardev; echo x > /dev/foo0 && echo writable; touch /opt/foo/x 2>/dev/null || echo read-only';
    await cli.ok(['apply', '-f', '-'], JSON.stringify(busyboxPod('foo-user', ['sh', '-c', script], { container: { resources: { limits: { 'example.com/foo': '1' } } } })));
    const pod = await server.until('foo-user to finish', async () => { const p = await getPod(server, 'foo-user'); return p?.status?.phase === 'Succeeded' || p?.status?.phase === 'Failed' ? p : undefined; }, 60_000);
    const logs = await cli.ok(['logs', 'foo-user']);
    assert.equal(pod.status?.phase, 'Succeeded', logs);
    assert.match(logs, /^devices=foo-(a|b)$/m);
    assert.match(logs, /^from the foo plugin$/m);
    assert.match(logs, /^chardev$/m);
    assert.match(logs, /^writable$/m);
    assert.match(logs, /^read-only$/m);
    assert.equal(plugin.allocated.length, 1, 'Allocate was called once for the container');
  });

  test('a device the plugin reports unhealthy leaves allocatable; healthy again, it comes back', async () => {
    plugin.setHealthy('foo-b', false);
    await allocatable('1');
    assert.equal((await foo())[0], '2', 'capacity still counts it');
    plugin.setHealthy('foo-b', true);
    await allocatable('2');
  });

  test('the plugin dying takes its devices out; registering again brings them back', async () => {
    await plugin.stop();
    await allocatable('0');
    await plugin.start();
    await allocatable('2');
  });

  test('a registration with a reserved resource name is refused with a message', async () => {
    const bad = new TestDevicePlugin({ dir: path.join(server.dataDir, 'agent', 'device-plugins'), resourceName: 'kubernetes.io/foo', endpoint: 'g3-bad.sock', devices: [{ id: 'x' }], allocate: () => ({}) });
    await assert.rejects(bad.start(), /reserved domain kubernetes\.io/);
    assert.doesNotMatch(JSON.stringify((await server.api<NodeView>('GET', '/api/v1/nodes/node-1')).body.status?.capacity ?? {}), /kubernetes\.io\/foo/);
  });
});
