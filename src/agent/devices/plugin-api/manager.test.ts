import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../../../testing/eventually.js';
import { TestDevicePlugin, type TestDevicePluginOptions } from '../../../testing/test-device-plugin.js';
import { DevicePluginManager } from './manager.js';
import type { PluginProvider } from './provider.js';

describe('device plugin API: the agent side over real gRPC', () => {
  let dir: string;
  let manager: DevicePluginManager;
  const added: string[] = [];
  const plugins: TestDevicePlugin[] = [];
  const plugin = (o: Partial<TestDevicePluginOptions> & Pick<TestDevicePluginOptions, 'resourceName' | 'endpoint'>): TestDevicePlugin => {
    const p = new TestDevicePlugin({
      dir, devices: [{ id: 'foo-0' }, { id: 'foo-1' }],
      allocate: (ids) => ({ envs: { FOO_DEVICES: ids.join(',') }, mounts: [{ containerPath: '/opt/foo', hostPath: '/usr/lib/foo', readOnly: true }],
        devices: ids.map((id) => ({ containerPath: `/dev/${id}`, hostPath: `/dev/null`, permissions: 'rw' })), annotations: { 'example.com/foo': ids.join(',') } }),
      ...o,
    });
    plugins.push(p);
    return p;
  };
  const provider = (resource: string): PluginProvider | undefined => manager.providers().find((p) => p.resource === resource);
  const healthyIds = async (resource: string): Promise<string[]> => (await provider(resource)?.discover())?.devices.filter((d) => d.healthy).map((d) => d.id) ?? [];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'g3-dp-'));
    manager = new DevicePluginManager({ dir: path.join(dir, 'device-plugins'), onProvider: (p) => added.push(p.name), resolveCdi: async (names) => ({ env: { CDI_RESOLVED: names.join(',') } }) });
    await manager.start();
    dir = path.join(dir, 'device-plugins');
  });
  after(async () => {
    for (const p of plugins) await p.stop();
    await manager.stop();
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  test('a plugin registers, its devices and health become the provider plugin:<resource>', async () => {
    const p = plugin({ resourceName: 'example.com/foo', endpoint: 'foo.sock' });
    await p.start();
    assert.deepEqual(await eventually('two healthy foo devices', async () => { const ids = await healthyIds('example.com/foo'); return ids.length === 2 && ids; }), ['foo-0', 'foo-1']);
    assert.deepEqual(added, ['plugin:example.com/foo']);
    p.setHealthy('foo-1', false);
    assert.deepEqual(await eventually('foo-1 unhealthy', async () => { const ids = await healthyIds('example.com/foo'); return ids.length === 1 && ids; }), ['foo-0']);
    p.setHealthy('foo-1', true);
    await eventually('foo-1 healthy again', async () => (await healthyIds('example.com/foo')).length === 2);
  });

  test('Allocate answers become the container edits: env, mounts, device nodes, annotations', async () => {
    const prov = provider('example.com/foo')!;
    const devices = (await prov.discover()).devices.filter((d) => d.id === 'foo-1');
    const edits = await prov.edits(devices, { podUid: 'u1', container: 'c' });
    assert.deepEqual(edits.env, { FOO_DEVICES: 'foo-1' });
    assert.deepEqual(edits.mounts, [{ destination: '/opt/foo', source: '/usr/lib/foo', type: 'bind', readOnly: true, options: ['rbind', 'ro'] }]);
    assert.deepEqual(edits.deviceNodes, [{ path: '/dev/foo-1', hostPath: '/dev/null', permissions: 'rw' }]);
    assert.deepEqual(edits.annotations, { 'example.com/foo': 'foo-1' });
    assert.equal(await prov.preferred(devices, [], 1), undefined, 'a plugin that did not offer GetPreferredAllocation is not asked');
  });

  test('a plugin that dies leaves its devices unhealthy; registering again brings them back under the same provider', async () => {
    const p = plugins[0]!;
    await p.stop();
    await eventually('foo devices unhealthy', async () => (await healthyIds('example.com/foo')).length === 0);
    assert.equal((await provider('example.com/foo')!.discover()).devices.length, 2, 'the devices stay listed (out of allocatable), not forgotten');
    await assert.rejects(provider('example.com/foo')!.edits([], { podUid: 'u', container: 'c' }), /not connected/);
    await p.start();
    await eventually('foo devices healthy again', async () => (await healthyIds('example.com/foo')).length === 2);
    assert.equal(manager.providers().length, 1);
    assert.deepEqual(added, ['plugin:example.com/foo'], 'one provider per resource across registrations');
  });

  test('GetPreferredAllocation and PreStartContainer are called when the plugin asks for them; CDI names are resolved', async () => {
    const p = plugin({ resourceName: 'example.com/bar', endpoint: 'bar.sock', devices: [{ id: 'b0', numa: 0 }, { id: 'b1', numa: 1 }, { id: 'b2', numa: 1 }],
      options: { preStartRequired: true, getPreferredAllocationAvailable: true }, allocate: (ids) => ({ cdiDevices: ids.map((id) => ({ name: `example.com/bar=${id}` })) }) });
    await p.start();
    await eventually('three bar devices', async () => (await healthyIds('example.com/bar')).length === 3);
    const prov = provider('example.com/bar')!;
    const all = (await prov.discover()).devices;
    assert.deepEqual(all.map((d) => d.topologyGroup), ['numa0', 'numa1', 'numa1'], 'NUMA topology becomes the topology group');
    assert.deepEqual(await prov.preferred(all, [all[0]!], 2), ['b1', 'b2']);
    assert.deepEqual(p.preferredAsked, [{ availableDeviceIDs: ['b0', 'b1', 'b2'], mustIncludeDeviceIDs: ['b0'], allocationSize: 2 }]);
    const edits = await prov.edits(all.slice(1), { podUid: 'u2', container: 'c' });
    assert.deepEqual(edits.env, { CDI_RESOLVED: 'example.com/bar=b1,example.com/bar=b2' });
    assert.deepEqual(p.preStarted, [['b1', 'b2']]);
  });

  test('bad registrations are refused with a message saying what is expected', async () => {
    const cases: [Partial<TestDevicePluginOptions['register']>, RegExp][] = [
      [{ version: 'v1alpha' }, /API version "v1alpha" is not supported: supported versions are \["v1beta1"\]/],
      [{ resourceName: 'foo' }, /"foo" has no domain: expected an extended resource name/],
      [{ resourceName: 'kubernetes.io/foo' }, /reserved domain kubernetes\.io/],
      [{ resourceName: 'Example.com/foo' }, /domain "Example.com" must be a lower-case DNS subdomain/],
      [{ endpoint: '../escape.sock' }, /must be the file name of the plugin's unix socket/],
    ];
    for (const [register, message] of cases) {
      const p = plugin({ resourceName: 'example.com/bad', endpoint: 'bad.sock', register });
      await assert.rejects(p.start(), message);
    }
    assert.equal(provider('example.com/bad'), undefined);
  });

  test('a plugin whose socket answers nothing, or whose Allocate fails, holds back only its own containers', async () => {
    // Registered by hand: the endpoint names a socket nobody serves.
    const silent = plugin({ resourceName: 'example.com/ghost', endpoint: 'ghost.sock' });
    await silent.start();
    await silent.stop();
    await eventually('ghost devices unhealthy', async () => (await provider('example.com/ghost')?.discover())?.devices.every((d) => !d.healthy));
    await assert.rejects(provider('example.com/ghost')!.edits([], { podUid: 'u', container: 'c' }), /not connected/);
    const failing = plugin({ resourceName: 'example.com/flaky', endpoint: 'flaky.sock', allocate: () => { throw new Error('device is busy'); } });
    await failing.start();
    await eventually('flaky devices', async () => (await healthyIds('example.com/flaky')).length === 2);
    await assert.rejects(provider('example.com/flaky')!.edits((await provider('example.com/flaky')!.discover()).devices, { podUid: 'u', container: 'c' }), /flaky\.sock: Allocate: .*device is busy/);
    assert.deepEqual(await healthyIds('example.com/foo'), ['foo-0', 'foo-1'], 'other plugins are unaffected');
  });

  test('only root may reach the registration socket', () => {
    const r = spawnSync('socat', ['-u', 'OPEN:/dev/null', `UNIX-CONNECT:${manager.socketPath}`], { uid: 65534, gid: 65534, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Permission denied/);
  });
});
