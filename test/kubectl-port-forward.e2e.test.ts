/**
 * Port-forward from the clients people have: the real kubectl (v1.32: SPDY/3.1 after its WebSocket
 * tunnel attempt) and @kubernetes/client-node's PortForward (WebSocket channels), to a busybox httpd
 * in a real pod; a port nothing listens on is reported, and a join identity is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { TestServer } from './harness/lanternd.js';
import { Cli, freeHostPort } from './harness/cli.js';
import { Kubectl } from './harness/kubectl.js';
import { eventually } from '../src/testing/eventually.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 'lantern-kpf-');
const forwards: ChildProcess[] = [];

before(async () => {
  await server.start();
  await cli.importBusybox();
  await k.ok(['run', 'kpf-web', '--image=busybox', '--command', '--', 'sh', '-c', 'mkdir /www; echo served-through-the-pod > /www/index.html; httpd -f -p 8080 -h /www']);
  await k.ok(['wait', '--for=condition=Ready', 'pod/kpf-web', '--timeout=90s']);
});
after(async () => {
  for (const f of forwards) f.kill('SIGKILL');
  await server.stop();
  k.cleanup();
});

/** One HTTP/1.0 GET through a local port; answers the whole response. */
function get(port: number, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(`GET /${file} HTTP/1.0\r\n\r\n`));
    let out = '';
    s.on('data', (d: Buffer) => { out += d.toString(); });
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

/** kubectl port-forward in the background; its output so far. */
function kubectlForward(args: string[]): { out: () => string } {
  let out = '';
  const child = spawn('kubectl', ['--kubeconfig', path.join(server.dataDir, 'kubeconfig.yaml'), '--cache-dir', path.join(k.home, 'cache'), 'port-forward', ...args], { env: { ...process.env, HOME: k.home } });
  forwards.push(child);
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  return { out: () => out };
}

test('kubectl port-forward carries several connections to the pod\'s port', async () => {
  const local = await freeHostPort();
  const f = kubectlForward(['pod/kpf-web', `${local}:8080`]);
  await eventually(() => `kubectl forwarding\n${f.out()}`, () => f.out().includes('Forwarding from'), { timeoutMs: 30_000 });
  for (let i = 0; i < 3; i++) {
    const r = await get(local, 'index.html');
    assert.match(r, /^HTTP\/1\.[01] 200/);
    assert.match(r, /served-through-the-pod/);
  }
  assert.match(await get(local, 'missing.html'), /^HTTP\/1\.[01] 404/);
});

test('kubectl port-forward to a port nothing listens on reports the error and keeps serving', async () => {
  const local = await freeHostPort();
  const f = kubectlForward(['kpf-web', `${local}:9`]);
  await eventually(() => `kubectl forwarding\n${f.out()}`, () => f.out().includes('Forwarding from'), { timeoutMs: 30_000 });
  // The connection is closed rather than left open, and kubectl prints the pod side's error.
  assert.equal(await get(local, 'index.html'), '');
  await eventually(() => `the error in kubectl's output\n${f.out()}`, () => /error forwarding port 9/.test(f.out()), { timeoutMs: 15_000 });
});

test('@kubernetes/client-node PortForward over WebSocket', async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(path.join(server.dataDir, 'kubeconfig.yaml'));
  const output = new PassThrough();
  const input = new PassThrough();
  let received = '';
  output.on('data', (d: Buffer) => { received += d.toString(); });
  const ws = await new k8s.PortForward(kc).portForward('default', 'kpf-web', [8080], output, null, input) as { close(): void };
  input.write('GET /index.html HTTP/1.0\r\n\r\n');
  await eventually(() => `the page through client-node\n${received}`, () => received.includes('served-through-the-pod'), { timeoutMs: 30_000 });
  assert.match(received, /^HTTP\/1\.[01] 200/);
  ws.close();
});

test('a join identity may not port-forward, in either protocol', async () => {
  const upgrades: Record<string, string>[] = [
    { Upgrade: 'SPDY/3.1', Connection: 'Upgrade', 'X-Stream-Protocol-Version': 'portforward.k8s.io' },
    { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io' },
  ];
  for (const headers of upgrades) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request(`${server.url}/api/v1/namespaces/default/pods/kpf-web/portforward?ports=8080`, { method: 'GET', ca: server.ca, headers: { ...headers, Authorization: `Bearer ${server.joinToken}` } });
      req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('upgrade', (_res, socket) => { socket.destroy(); resolve(101); });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403, `${headers.Upgrade}: a join token must not reach the pod`);
  }
});
