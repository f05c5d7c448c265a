/**
 * The real kubectl's attach (piped stdin, and a TTY through node-pty: `kubectl run -it --rm ... -- sh`)
 * and `kubectl cp` both ways (tar through exec), against pods on the TestServer's node.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eventually } from '../src/testing/eventually.js';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { Kubectl } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 'lantern-k3att-');

const pod = (name: string, extra: string, command: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: "busybox:latest", ${extra}command: ${command}}]
`;

before(async () => {
  await server.start();
  await cli.importBusybox();
}, { timeout: 180_000 });
after(async () => {
  for (const p of ['k3-cp', 'k3-att', 'k3-tty']) await server.lcctl(['delete', 'pod', p]);
  await server.stop();
  k.cleanup();
});

test('kubectl cp copies a file and a folder into a pod and back out', async () => {
  await k.run(['apply', '-f', '-'], { input: pod('k3-cp', '', '[sleep, "3600"]') });
  await k.ok(['wait', '--for=condition=Ready', 'pod/k3-cp', '--timeout=90s']);
  const src = path.join(k.home, 'src');
  mkdirSync(path.join(src, 'sub'), { recursive: true });
  writeFileSync(path.join(src, 'a.txt'), 'alpha\n');
  writeFileSync(path.join(src, 'sub', 'b.txt'), 'beta\n');
  await k.ok(['cp', path.join(src, 'a.txt'), 'k3-cp:/tmp/a.txt']);
  await k.ok(['cp', src, 'k3-cp:/tmp/tree']);
  assert.equal(await k.ok(['exec', 'k3-cp', '--', 'cat', '/tmp/a.txt', '/tmp/tree/sub/b.txt']), 'alpha\nbeta\n');
  await k.ok(['exec', 'k3-cp', '--', 'sh', '-c', 'echo made in the pod > /tmp/made.txt']);
  await k.ok(['cp', 'k3-cp:/tmp/made.txt', path.join(k.home, 'made.txt')]);
  assert.equal(readFileSync(path.join(k.home, 'made.txt'), 'utf8'), 'made in the pod\n');
  await k.ok(['cp', 'k3-cp:/tmp/tree', path.join(k.home, 'back')]);
  assert.equal(readFileSync(path.join(k.home, 'back', 'sub', 'b.txt'), 'utf8'), 'beta\n');
});

test('kubectl attach -i talks to the stdin of a running container', async () => {
  await k.run(['apply', '-f', '-'], { input: pod('k3-att', 'stdin: true, ', '[sh]') });
  await k.ok(['wait', '--for=condition=Ready', 'pod/k3-att', '--timeout=90s']);
  const r = await k.run(['attach', '-i', 'k3-att'], { input: 'echo attached-$((6*7))\nexit\n' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^attached-42$/m);
});

test('kubectl run -it --rm gives a shell on a terminal, and removes the pod when it exits', async () => {
  const pty = (await import('node-pty')).default;
  const kubeconfig = path.join(server.dataDir, 'kubeconfig.yaml');
  const term = pty.spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(k.home, 'cache'), 'run', 'k3-tty', '-it', '--rm', '--restart=Never', '--image=busybox:latest', '--', 'sh'],
    { name: 'xterm', cols: 100, rows: 30, env: { ...process.env, HOME: k.home } as Record<string, string> });
  let out = '';
  term.onData((d) => { out += d; });
  const exited = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  try {
    // The prompt comes once the TTY is attached; then a command whose answer cannot be an echo of it.
    await eventually(() => `no prompt:\n${out}`, () => Promise.resolve(/[#$] $/m.test(out) || /command prompt/.test(out)), { timeoutMs: 90_000 });
    term.write('echo tty-$((6*7)) $(tty)\r');
    await eventually(() => `no answer:\n${out}`, () => /tty-42 \/dev\/pts\/\d+/.test(out), { timeoutMs: 30_000 });
    term.write('exit\r');
    assert.equal(await exited, 0, out);
  } finally { term.kill(); }
  await eventually(() => 'k3-tty still there', async () => (await k.run(['get', 'pod', 'k3-tty'])).code !== 0, { timeoutMs: 60_000 });
});
