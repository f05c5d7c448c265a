import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { Container, Pod } from '../../api/pod.js';
import { ConfigSources, resolveEnv, volumeFiles, type ConfigReader } from './config-sources.js';
import { ContainerConfigError } from '../container/container-config.js';
import { writeConfigVolume } from './config-volume.js';

const objects: Record<string, ApiObject> = {
  'configmaps/app': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data: { mode: 'fast', 'bad-name!': 'x' }, binaryData: { bin: Buffer.from([0xff]).toString('base64') } } as ApiObject,
  'secrets/db': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { pw: Buffer.from('s3cret').toString('base64') } } as ApiObject,
};
const reader: ConfigReader = {
  get: async <T extends ApiObject>(resource: string, name: string): Promise<T> => {
    const o = objects[`${resource}/${name}`];
    if (!o) throw new ApiError('NotFound', `${resource} "${name}" not found`);
    return o as T;
  },
};
const sources = (): ConfigSources => new ConfigSources(reader, 'default');
const container = (extra: Partial<Container>): Container => ({ name: 'c', image: 'busybox', ...extra });

describe('ConfigMaps and Secrets in a container', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-config-vol-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('envFrom comes first and env overrides it; valueFrom reads the key; invalid names are skipped', async () => {
    const env = await resolveEnv(container({
      envFrom: [{ configMapRef: { name: 'app' }, prefix: 'APP_' }],
      env: [{ name: 'APP_mode', value: 'override' }, { name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }],
    }), sources(), 'default');
    assert.deepEqual(env.map((e) => `${e.name}=${e.value}`), ['APP_mode=fast', `APP_bin=${Buffer.from([0xff]).toString('utf8')}`, 'APP_mode=override', 'PW=s3cret']);
  });

  test('a missing object or key is a ContainerConfigError with the kubelet\'s message, unless optional', async () => {
    await assert.rejects(resolveEnv(container({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }), sources(), 'default'),
      (e: Error) => e instanceof ContainerConfigError && e.message === 'configmap "nope" not found');
    await assert.rejects(resolveEnv(container({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'nokey' } } }] }), sources(), 'default'),
      /couldn't find key nokey in Secret default\/db/);
    assert.deepEqual(await resolveEnv(container({ envFrom: [{ secretRef: { name: 'gone', optional: true } }], env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } }] }), sources(), 'default'), []);
  });

  test('volume files: every key, or the chosen items with their paths and modes; stale files go', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [], volumes: [
      { name: 'all', configMap: { name: 'app', defaultMode: 0o640 } },
      { name: 'some', secret: { secretName: 'db', items: [{ key: 'pw', path: 'nested/password', mode: 0o400 }] } },
    ] } } as unknown as Pod;
    const all = await volumeFiles(pod, 'all', sources());
    assert.deepEqual([...all.keys()].sort(), ['bad-name!', 'bin', 'mode']);
    const target = path.join(dir, 'all');
    await writeConfigVolume(target, all, false);
    writeFileSync(path.join(target, 'stale'), 'old');
    await writeConfigVolume(target, all, false);
    assert.deepEqual(readdirSync(target).sort(), ['bad-name!', 'bin', 'mode']);
    assert.equal(readFileSync(path.join(target, 'mode'), 'utf8'), 'fast');
    assert.equal(statSync(path.join(target, 'mode')).mode & 0o777, 0o640);
    const some = await volumeFiles(pod, 'some', sources());
    await writeConfigVolume(path.join(dir, 'some'), some, true);
    assert.equal(readFileSync(path.join(dir, 'some/nested/password'), 'utf8'), 's3cret');
    assert.equal(statSync(path.join(dir, 'some/nested/password')).mode & 0o777, 0o400);
  });
});
