import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';
import { netContains, parseIpNet } from '../src/api/ip.js';

/** RUN fetches from the host over the step's default route (the pod bridge's gateway), as `apk add` reaches a mirror (no -T: busybox 1.35's wget segfaults with it). */
const fetchVia = (gateway: string, port: number, file: string): string =>
  `FROM busybox\nRUN wget -q -O ${file} http://${gateway}:${port}/token && cat ${file}\nCMD ["cat", "${file}"]\n`;
const GATEWAY = "$(route -n | awk '$1 == \"0.0.0.0\" {print $2}')";

describe('lcctl build: RUN steps reach the network', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const ctx = mkdtempSync(path.join(tmpdir(), 'lantern-build-net-'));
  const token = `token-${process.pid}-${Date.now()}`;
  const callers: string[] = [];
  let http: Server;
  let port = 0;

  before(async () => {
    http = createServer((req, res) => {
      callers.push(req.socket.remoteAddress ?? '');
      res.end(`${token}\n`);
    });
    await new Promise<void>((resolve) => http.listen(0, '0.0.0.0', resolve));
    port = (http.address() as AddressInfo).port;
    await server.start();
    await cli.importBusybox();
  });
  after(async () => {
    await server.stop();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    rmSync(ctx, { recursive: true, force: true });
  });

  /** The node's network records and namespaces of build steps: none may outlive a build. */
  function leftoverStepNetworks(): string[] {
    const nodeDir = path.resolve(server.dataDir, 'agent');
    const prefix = `lt${createHash('sha256').update(nodeDir).digest('hex').slice(0, 6)}-build-`;
    const records = readdirSync(path.join(nodeDir, 'network', 'pods')).filter((f) => f.startsWith('build-'));
    const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith(prefix));
    return [...records, ...netns];
  }

  test('the default network: a RUN step downloads from the host through the pod bridge and the image keeps it', async () => {
    writeFileSync(path.join(ctx, 'Dockerfile'), fetchVia(GATEWAY, port, '/got.txt'));
    const out = await cli.ok(['build', '-t', 'netbuild:1', ctx]);
    assert.match(out, new RegExp(`^${token}$`, 'm'), 'the step printed what it downloaded');
    assert.equal(await cli.ok(['run', '--rm', 'netbuild:1']), `${token}\n`);
    assert.ok(callers.length >= 1 && callers.every((a) => netContains(parseIpNet(server.subnet)!, a.replace(/^::ffff:/, ''))),
      `the request came from the pod subnet ${server.subnet}: ${callers.join(', ')}`);
    assert.deepEqual(leftoverStepNetworks(), [], 'the step network is torn down after the step');
  });

  test('--network none: the same step cannot connect, and the build error says the build had no network', async () => {
    writeFileSync(path.join(ctx, 'Dockerfile'), fetchVia(GATEWAY, port, '/none.txt'));
    const before = callers.length;
    const r = await cli.run(['build', '--network', 'none', '--no-cache', '-t', 'netbuild:none', ctx]);
    assert.equal(r.code, 1, explain(server, r));
    assert.match(r.stderr, /returned a non-zero code: \d+ \(this build runs RUN steps with --network none: loopback only\)/);
    assert.equal(callers.length, before, 'nothing reached the host');
    assert.doesNotMatch(await cli.ok(['images']), /netbuild\s+none/);
  });

  test('--network host: a RUN step reaches the host on 127.0.0.1', async () => {
    writeFileSync(path.join(ctx, 'Dockerfile'), fetchVia('127.0.0.1', port, '/host.txt'));
    const out = await cli.ok(['build', '--network', 'host', '-t', 'netbuild:host', ctx]);
    assert.match(out, new RegExp(`^${token}$`, 'm'));
    assert.equal(callers.at(-1), '127.0.0.1');
    assert.deepEqual(leftoverStepNetworks(), []);
  });

  test('an unknown --network is refused before anything is sent, by lcctl and by the server', async () => {
    const r = await cli.run(['build', '--network', 'bogus', ctx]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid --network "bogus" for a build: use default .*, none .* or host/);
    const res = await fetch(`${server.url}/apis/lantern.dev/v1/images/build?network=bogus`, {
      method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/x-tar' }, body: '',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /invalid --network \\?"bogus\\?"/);
  });
});
