import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { lanterndBin, TestServer, type LcctlResult } from './harness/lanternd.js';
import { waitContainer } from './harness/pods.js';
import { Cli } from './harness/cli.js';

/** Run `lanternd secrets-encrypt ARGS --data-dir DIR`. */
function secretsEncrypt(server: TestServer, args: string[]): Promise<LcctlResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [lanterndBin, 'secrets-encrypt', ...args, '--data-dir', server.dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function ok(server: TestServer, args: string[]): Promise<string> {
  const r = await secretsEncrypt(server, args);
  assert.equal(r.code, 0, `lanternd secrets-encrypt ${args.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}\n--- lanternd ---\n${server.logs.slice(-2000)}`);
  return r.stdout;
}

/** Everything on disk of the store: state.db and its WAL, as bytes. */
function storeBytes(server: TestServer): Buffer {
  const files = ['state.db', 'state.db-wal'].map((f) => path.join(server.dataDir, f)).filter((f) => existsSync(f));
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

/** Stop the daemon (SIGTERM: it closes the store cleanly), keeping its data dir; containers keep running. */
async function stopDaemon(server: TestServer): Promise<void> {
  const p = server.proc;
  if (!p || p.exitCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await exited;
}

/** The stored Secret rows (key, value) of a stopped server's state.db. */
function secretRows(server: TestServer): { key: string; value: string }[] {
  const db = new Database(path.join(server.dataDir, 'state.db'), { fileMustExist: true });
  try {
    return db.prepare("SELECT key, value FROM kv WHERE key LIKE '/registry/secrets/%' ORDER BY key").all() as { key: string; value: string }[];
  } finally { db.close(); }
}

const value = `s3cret-${randomBytes(8).toString('hex')}`;
const b64 = Buffer.from(value).toString('base64');
const podYaml = (name: string, secret: string, command: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  restartPolicy: Never
  volumes: [{name: sec, secret: {secretName: ${secret}}}]
  containers:
    - name: main
      image: busybox:latest
      command: ["sh", "-c", '${command}']
      env: [{name: PW, valueFrom: {secretKeyRef: {name: ${secret}, key: pw}}}]
      volumeMounts: [{name: sec, mountPath: /etc/sec}]
`;

describe('lanternd server --secrets-encryption', () => {
  const server = new TestServer(['--secrets-encryption']);
  const cli = new Cli(server);
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(() => server.stop());

  test('a Secret is stored encrypted: its value is in neither state.db nor the WAL, yet lcctl and pods see it', async () => {
    assert.equal(await cli.ok(['create', 'secret', 'generic', 'db', `--from-literal=pw=${value}`]), 'secret/db created\n');
    assert.equal(await cli.ok(['apply', '-f', '-'], podYaml('web', 'db', 'echo "PW=$PW"; exec sleep 3600')), 'pod/web created\n');
    await waitContainer(server, 'web', 'running', (cs) => cs.state.running !== undefined, 60_000);
    assert.equal(await cli.ok(['exec', 'web', 'cat', '/etc/sec/pw']), value);
    assert.equal(await server.until('the env line in the log', async () => { const o = await cli.ok(['logs', 'web']); return o.includes('PW=') ? o : undefined; }), `PW=${value}\n`);
    const got = await cli.ok(['get', 'secret', 'db', '-o', 'yaml']);
    assert.match(got, new RegExp(`^  pw: ${b64.replace(/[+/=]/g, '\\$&')}$`, 'm'));
    const disk = storeBytes(server);
    assert.ok(disk.length > 0);
    assert.equal(disk.indexOf(value), -1, 'the plain value is in state.db or its WAL');
    assert.equal(disk.indexOf(b64), -1, 'the base64 value is in state.db or its WAL');
    assert.ok(disk.includes('k8s:enc:aesgcm:v1:'), 'no encrypted value in the store files');
    const keys = path.join(server.dataDir, 'cred/encryption-config.json');
    assert.equal(statSync(keys).mode & 0o777, 0o600);
    assert.match(readFileSync(keys, 'utf8'), /"apiVersion": "apiserver.config.k8s.io\/v1"/);
  });

  test('secrets-encrypt status: enabled, stage start, the current key, every Secret under it', async () => {
    const out = await ok(server, ['status']);
    const key = /^Current Key: AES-GCM (aesgcmkey-\S+)$/m.exec(out)?.[1];
    assert.ok(key, out);
    assert.match(out, /^Encryption Status: Enabled$/m);
    assert.match(out, /^Current Rotation Stage: start$/m);
    assert.match(out, /^Server Encryption Hashes: All hashes match$/m);
    assert.match(out, /^Secrets: 1, all under the current key$/m);
    assert.match(out, new RegExp(`^ \\*      AES-GCM   ${key}\\s+1$`, 'm'));
    const json = JSON.parse(await ok(server, ['status', '--output', 'json'])) as { enabled: boolean; currentKey: { name: string }; secrets: { total: number; current: number } };
    assert.deepEqual([json.enabled, json.currentKey.name, json.secrets.total, json.secrets.current], [true, key, 1, 1]);
  });

  test('rotate-keys then reencrypt: the running server writes with the new key at once, and every Secret ends under it', async () => {
    const before = /^Current Key: AES-GCM (\S+)$/m.exec(await ok(server, ['status']))?.[1] ?? assert.fail('no key');
    const rotated = await ok(server, ['rotate-keys']);
    const key = /key (aesgcmkey-\S+) encrypts every Secret written from now on/.exec(rotated)?.[1] ?? assert.fail(rotated);
    assert.notEqual(key, before);
    assert.match(rotated, /1 Secret is still under older keys/);
    await cli.ok(['create', 'secret', 'generic', 'db2', `--from-literal=pw=${value}-2`]);
    const mid = await ok(server, ['status']);
    assert.match(mid, /^Current Rotation Stage: rotated$/m);
    assert.match(mid, /^Secrets: 2: 1 under the current key, 1 under older keys, 0 plain; run lanternd secrets-encrypt reencrypt$/m);
    // Both read back while two keys are in use.
    assert.match(await cli.ok(['get', 'secret', 'db', '-o', 'yaml']), new RegExp(b64.replace(/[+/=]/g, '\\$&')));
    const re = await ok(server, ['reencrypt']);
    assert.match(re, new RegExp(`^Re-encrypted 1 Secret with AES-GCM key ${key}; 2 of 2 are now stored that way\\.$`, 'm'));
    assert.match(re, new RegExp(`^Removed old keys: ${before}\\.$`, 'm'));
    const after = await ok(server, ['status']);
    assert.match(after, /^Secrets: 2, all under the current key$/m);
    assert.ok(!readFileSync(path.join(server.dataDir, 'cred/encryption-config.json'), 'utf8').includes(before));

    // The rows themselves, read from the file once the server has stopped.
    await stopDaemon(server);
    const rows = secretRows(server);
    assert.deepEqual(rows.map((r) => r.key), ['/registry/secrets/default/db', '/registry/secrets/default/db2']);
    for (const r of rows) {
      assert.ok(r.value.startsWith(`k8s:enc:aesgcm:v1:${key}:`), `${r.key}: ${r.value.slice(0, 60)}`);
      assert.ok(!r.value.includes(value) && !r.value.includes(b64));
    }

    // After a restart everything reads back, and a new pod gets the re-encrypted Secret.
    await server.start();
    assert.match(await cli.ok(['get', 'secret', 'db', '-o', 'yaml']), new RegExp(b64.replace(/[+/=]/g, '\\$&')));
    await cli.ok(['apply', '-f', '-'], podYaml('after', 'db2', 'echo "PW=$PW $(cat /etc/sec/pw)"'));
    await waitContainer(server, 'after', 'exited', (cs) => cs.state.terminated !== undefined, 60_000);
    assert.equal(await cli.ok(['logs', 'after']), `PW=${value}-2 ${value}-2\n`);
    assert.match(await ok(server, ['status']), /^Current Rotation Stage: start$/m);
  });

  test('restarted without the flag: the keys still decrypt, new Secrets are stored plain, status says so', async () => {
    await stopDaemon(server);
    server.extraArgs.splice(server.extraArgs.indexOf('--secrets-encryption'), 1);
    await server.start();
    assert.match(await cli.ok(['get', 'secret', 'db', '-o', 'yaml']), new RegExp(b64.replace(/[+/=]/g, '\\$&')));
    await cli.ok(['create', 'secret', 'generic', 'plain', '--from-literal=pw=plain-now']);
    assert.ok(storeBytes(server).includes(Buffer.from('plain-now').toString('base64')));
    const out = await ok(server, ['status']);
    assert.match(out, /^Encryption Status: Disabled/m);
    assert.match(out, /^Current Key: identity \(plain\)$/m);
    assert.match(out, /^Secrets: 3: 1 plain, 2 encrypted; run lanternd secrets-encrypt reencrypt$/m);
    const r = await secretsEncrypt(server, ['rotate-keys']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /secrets encryption is off: restart lanternd server with --secrets-encryption, then rotate keys/);
  });
});

describe('lanternd server without --secrets-encryption', () => {
  const server = new TestServer(['--no-agent']);
  const cli = new Cli(server);
  before(() => server.start());
  after(() => server.stop());

  test('Secrets are stored as before (their data is in the store file), no keys file is made, status says Disabled', async () => {
    await cli.ok(['create', 'secret', 'generic', 'db', `--from-literal=pw=${value}`]);
    assert.match(await cli.ok(['get', 'secret', 'db', '-o', 'yaml']), new RegExp(b64.replace(/[+/=]/g, '\\$&')));
    assert.ok(storeBytes(server).includes(b64));
    assert.ok(!existsSync(path.join(server.dataDir, 'cred/encryption-config.json')));
    const out = await ok(server, ['status']);
    assert.match(out, /^Encryption Status: Disabled/m);
    assert.match(out, /^Current Rotation Stage: start$/m);
    assert.match(out, /^Secrets: 1, all plain$/m);
    assert.match(out, /^Config File: .*cred\/encryption-config\.json \(none\)$/m);
  });

  test('secrets-encrypt with no server running says what to do', async () => {
    const r = await secretsEncrypt(server, ['status']);
    assert.equal(r.code, 0);
    await stopDaemon(server);
    const down = await secretsEncrypt(server, ['status']);
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot connect to the Lantern server at https?:\/\/127\.0\.0\.1:\d+: is lanternd running\?/);
  });
});
