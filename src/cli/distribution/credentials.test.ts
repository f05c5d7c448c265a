import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../config.js';
import { loadCredential, registryKey, registryOfRef, saveCredential } from './credentials.js';

describe('registry credentials in the config file', () => {
  let dir = '';
  let saved: string | undefined;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'lcctl-creds-')); saved = process.env.LANTERN_CONFIG; process.env.LANTERN_CONFIG = join(dir, 'config.yaml'); });
  after(async () => { if (saved === undefined) delete process.env.LANTERN_CONFIG; else process.env.LANTERN_CONFIG = saved; await rm(dir, { recursive: true, force: true }); });

  test('login saves into the file with mode 0600, keeps server and token, and logout removes only that registry', async () => {
    const file = join(dir, 'config.yaml');
    await writeFile(file, 'server: https://10.0.0.1:6443\ntoken: abc\n', { mode: 0o644 });
    saveCredential('localhost:5000', { username: 'ann', password: 'p:w "x"' });
    saveCredential('docker.io', { username: 'bob', password: 'hub' });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const text = await readFile(file, 'utf8');
    assert.deepEqual(parseConfigText(text), { server: 'https://10.0.0.1:6443', token: 'abc', caData: undefined });
    assert.deepEqual(loadCredential('localhost:5000'), { username: 'ann', password: 'p:w "x"' });
    assert.equal(loadCredential(registryOfRef('busybox'))?.username, 'bob');
    assert.equal(saveCredential('localhost:5000', undefined), true);
    assert.equal(saveCredential('localhost:5000', undefined), false);
    assert.equal(loadCredential('localhost:5000'), undefined);
    assert.equal(loadCredential(registryKey('https://index.docker.io/v1/'))?.password, 'hub');
  });

  test('the registry of a reference follows Docker\'s rule', () => {
    assert.equal(registryOfRef('localhost:5000/lt/busybox:1'), 'localhost:5000');
    assert.equal(registryOfRef('ghcr.io/a/b'), 'ghcr.io');
    assert.equal(registryOfRef('library/busybox'), 'docker.io');
    assert.equal(registryOfRef('busybox:1.36'), 'docker.io');
  });
});
