import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { TestServer } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { Cli, spawnLcctl, type Streaming } from './harness/cli.js';

interface PodView { spec: { nodeName?: string }; status?: { phase?: string } }

/** Send text on a new connection to a local port, half-close, and collect the reply until the pod closes. */
function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('end', () => { sock.end(); resolve(Buffer.concat(chunks).toString()); });
    sock.on('error', reject);
    sock.on('connect', () => { sock.write(text.slice(0, 5)); sock.end(text.slice(5)); });
  });
}

/** Connect, send a line and report how the connection ended (the reply bytes, or the error). */
function attempt(port: number): Promise<{ reply: string; error?: string }> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', (e) => resolve({ reply: Buffer.concat(chunks).toString(), error: e.message }));
    sock.on('close', () => resolve({ reply: Buffer.concat(chunks).toString() }));
    sock.on('connect', () => sock.write('anyone there?\n'));
  });
}

describe('lcctl port-forward reaches pods on the server\'s node and on a remote agent through its tunnel', { timeout: 300_000 }, () => {
  const server = new TestServer([], { https: true });
  const cli = new Cli(server);
  const agent = new RemoteAgent(server, 'edge-pf');
  const forwards: Streaming[] = [];

  /** An echo server pod (busybox nc -e cat) pinned to a node; waits until it runs. */
  const echoPod = async (name: string, node: string): Promise<void> => {
    const created = await server.api('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'echo', image: 'busybox', command: ['nc', '-ll', '-p', '8080', '-e', 'cat'] }] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const pod = await server.until(`pod ${name} Running on ${node}`, async () => {
      const r = await server.api<PodView>('GET', `/api/v1/namespaces/default/pods/${name}`);
      return r.body.status?.phase === 'Running' ? r.body : undefined;
    }, 90_000);
    assert.equal(pod.spec.nodeName, node);
  };

  /** Start lcctl port-forward and wait for the local port it prints. */
  const forward = async (args: string[]): Promise<{ port: number; pf: Streaming }> => {
    const pf = spawnLcctl(server, ['port-forward', ...args]);
    forwards.push(pf);
    const port = await server.until(`lcctl port-forward ${args.join(' ')} listening`, async () => {
      const m = /^Forwarding from 127\.0\.0\.1:(\d+) -> \d+$/m.exec(pf.stdout());
      if (!m) {
        const done = await Promise.race([pf.done, new Promise((r) => setTimeout(r, 10))]);
        if (done) throw new Error(`port-forward exited: ${JSON.stringify(done)}`);
      }
      return m ? Number(m[1]) : undefined;
    });
    return { port, pf };
  };

  before(async () => {
    await server.start();
    await cli.importBusybox();
    await agent.start();
    await Promise.all([echoPod('pf-local', 'node-1'), echoPod('pf-remote', 'edge-pf')]);
  });

  after(async () => {
    for (const pf of forwards) pf.kill();
    // Let the agent remove its pod (CNI DEL drops its NAT rules) before stopping it.
    await agent.remove('pf-remote');
    await server.stop();
  });

  for (const [pod, where] of [['pf-local', "the server's own node"], ['pf-remote', 'a remote agent (through its tunnel)']] as const) {
    test(`bytes go to a pod on ${where} and back, on several connections at once; Ctrl-C ends it with 0`, async () => {
      const { port, pf } = await forward([`pod/${pod}`, ':8080']);
      assert.notEqual(port, 8080, 'a free local port was picked');
      const big = `${'x'.repeat(300_000)}\n`;
      const [one, two, three] = await Promise.all([roundTrip(port, `hello ${pod}\n`), roundTrip(port, 'second connection\n'), roundTrip(port, big)]);
      assert.equal(one, `hello ${pod}\n`);
      assert.equal(two, 'second connection\n');
      assert.equal(three.length, big.length, 'a large payload arrives whole');
      assert.match(pf.stdout(), new RegExp(`Handling connection for ${port}`));
      pf.kill('SIGINT');
      const done = await pf.done;
      assert.equal(done.code, 0, done.stderr);
    });
  }

  test('LOCAL:REMOTE listens on the port given; NAME works without pod/', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const free = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const { port, pf } = await forward(['pf-remote', `${free}:8080`]);
    assert.equal(port, free);
    assert.equal(await roundTrip(port, 'fixed port\n'), 'fixed port\n');
    pf.kill('SIGINT');
    assert.equal((await pf.done).code, 0);
  });

  test('a port nothing listens on in the pod: the connection is dropped and lcctl says why', async () => {
    const { port, pf } = await forward(['pf-remote', ':9999']);
    const r = await attempt(port);
    assert.equal(r.reply, '');
    await server.until('the error is printed', async () => /connection refused/.test(pf.stderr()));
    assert.match(pf.stderr(), /port 9999 of pod "?pf-remote"?/);
    pf.kill('SIGINT');
    assert.equal((await pf.done).code, 0);
  });

  test('a pod that does not exist: a clear error and a non-zero exit', async () => {
    const r = await cli.run(['port-forward', 'pod/no-such-pod', '8080']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods? "no-such-pod" not found/);
    assert.equal(r.stdout, '', 'nothing was forwarded');
  });
});
