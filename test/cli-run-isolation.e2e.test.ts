import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain, freeHostPort, rowNamed } from './harness/cli.js';

/** CapEff of the container's first process, as a number. */
const capEff = (out: string): bigint => BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(out)?.[1] ?? 'x'}`);

describe('lcctl run: filesystem, capabilities, volumes, networks and published ports', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const hostDir = mkdtempSync(path.join(tmpdir(), 'lantern-cli-vol-'));
  before(async () => { await server.start(); await cli.importBusybox(); });
  after(async () => { await server.stop(); rmSync(hostDir, { recursive: true, force: true }); });

  test('--read-only makes the root filesystem refuse writes', async () => {
    const r = await cli.run(['run', '--rm', '--read-only', 'busybox', 'touch', '/x']);
    assert.notEqual(r.code, 0, explain(server, r));
    assert.match(r.stderr, /Read-only file system/);
    await cli.expect(0, ['run', '--rm', 'busybox', 'touch', '/x']);
  });

  test('--cap-drop ALL leaves no capabilities; --cap-add gives back just the one asked for', async () => {
    const dflt = capEff(await cli.ok(['run', '--rm', 'busybox', 'grep', 'CapEff', '/proc/self/status']));
    assert.equal(dflt, 0xa80425fbn, "Docker's default capability set");
    assert.equal(capEff(await cli.ok(['run', '--rm', '--cap-drop', 'ALL', 'busybox', 'grep', 'CapEff', '/proc/self/status'])), 0n);
    const netAdmin = 1n << 12n;
    assert.equal(capEff(await cli.ok(['run', '--rm', '--cap-drop', 'ALL', '--cap-add', 'NET_ADMIN', 'busybox', 'grep', 'CapEff', '/proc/self/status'])), netAdmin);
    const noChown = capEff(await cli.ok(['run', '--rm', '--cap-drop', 'CHOWN', 'busybox', 'grep', 'CapEff', '/proc/self/status']));
    assert.equal(noChown, dflt & ~1n, 'dropping CHOWN (bit 0) keeps the rest');
  });

  test('--privileged grants every capability the host has', async () => {
    // The test runs as root: its bounding set is what the host can grant.
    const host = BigInt(`0x${/CapBnd:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 'x'}`);
    assert.equal(capEff(await cli.ok(['run', '--rm', '--privileged', 'busybox', 'grep', 'CapEff', '/proc/self/status'])), host);
  });

  test('--tmpfs mounts a memory-backed tmpfs, writable even with --read-only', async () => {
    const r = await cli.expect(0, ['run', '--rm', '--read-only', '--tmpfs', '/run', 'busybox', 'sh', '-c', 'echo x > /run/f && cat /run/f && grep " /run " /proc/mounts']);
    assert.match(r.stdout, /^x$/m);
    assert.match(r.stdout, /^tmpfs \/run tmpfs /m, 'docker --tmpfs is a tmpfs, not a directory on disk');
  });

  test('-v /hostdir:/data: a file written inside appears on the host; :ro refuses writes', async () => {
    await cli.expect(0, ['run', '--rm', '-v', `${hostDir}:/data`, 'busybox', 'sh', '-c', 'echo from-container > /data/out.txt']);
    assert.equal(readFileSync(path.join(hostDir, 'out.txt'), 'utf8'), 'from-container\n');
    const ro = await cli.run(['run', '--rm', '-v', `${hostDir}:/data:ro`, 'busybox', 'sh', '-c', 'cat /data/out.txt; echo nope > /data/ro.txt']);
    assert.notEqual(ro.code, 0, explain(server, ro));
    assert.equal(ro.stdout, 'from-container\n', 'a read-only bind mount is still readable');
    assert.match(ro.stderr, /Read-only file system/);
    assert.equal(existsSync(path.join(hostDir, 'ro.txt')), false);
  });

  test('a named volume keeps its data from one container to the next', async () => {
    await cli.expect(0, ['run', '--rm', '-v', 'vol1:/data', 'busybox', 'sh', '-c', 'echo kept > /data/k']);
    const r = await cli.expect(0, ['run', '--rm', '-v', 'vol1:/data', 'busybox', 'cat', '/data/k']);
    assert.equal(r.stdout, 'kept\n');
    const other = await cli.run(['run', '--rm', '-v', 'vol2:/data', 'busybox', 'cat', '/data/k']);
    assert.notEqual(other.code, 0, `another volume is empty\n${explain(server, other)}`);
  });

  test('the default network gives the container eth0 with an address in its node\'s pod range (spec.podCIDR)', async () => {
    const out = await cli.ok(['run', '--rm', 'busybox', 'ip', '-o', '-4', 'addr']);
    const podCIDR = (await server.api<{ spec: { podCIDR?: string } }>('GET', '/api/v1/nodes/node-1')).body.spec.podCIDR ?? '';
    const [base = '', bits = ''] = podCIDR.split('/');
    const m = new RegExp(`eth0\\s+inet (\\d+\\.\\d+\\.\\d+)\\.(\\d+)/${bits}\\s`).exec(out);
    assert.ok(m, `eth0 with a /${bits} address (node-1's podCIDR is ${podCIDR}):\n${out}`);
    const first = Number(base.split('.')[3]);
    assert.equal(m[1], base.split('.').slice(0, 3).join('.'), out);
    assert.ok(Number(m[2]) > first && Number(m[2]) < first + 2 ** (32 - Number(bits)), `${m[2]} inside ${podCIDR}`);
  });

  test('--network none has only the loopback interface', async () => {
    const out = await cli.ok(['run', '--rm', '--network', 'none', 'busybox', 'ip', '-o', 'link']);
    const ifaces = out.trim().split('\n').map((l) => /^\d+:\s*([^:@]+)/.exec(l)?.[1]);
    assert.deepEqual(ifaces, ['lo'], out);
  });

  test('--network host sees the host interfaces, such as this server\'s bridge', async () => {
    // Make sure the bridge exists: it is created with the first bridged pod.
    await cli.expect(0, ['run', '--rm', 'busybox', 'true']);
    const out = await cli.ok(['run', '--rm', '--network', 'host', 'busybox', 'ip', '-o', 'link']);
    assert.match(out, new RegExp(`^\\d+: ${server.bridge}[:@]`, 'm'), out);
    assert.doesNotMatch(out, /^\d+: eth0@/m, 'no pod veth in the host namespace');
  });

  test('-p 127.0.0.1:HOSTPORT:80 publishes the container port on the host', async () => {
    const port = await freeHostPort();
    const id = (await cli.ok(['run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:80`, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/var/www'])).trim();
    const body = await server.until(`GET 127.0.0.1:${port}`, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      return res.status === 200 ? res.text() : undefined;
    });
    assert.match(body, /busybox/i);
    const row = rowNamed(await cli.ok(['ps']), 'web');
    assert.ok(row?.startsWith(id));
    assert.match(row ?? '', new RegExp(`127\\.0\\.0\\.1:${port}->80/tcp`));

    // The same host port again is refused, and the first container keeps serving.
    const again = await cli.run(['run', '-d', '--name', 'web2', '-p', `127.0.0.1:${port}:80`, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/var/www']);
    assert.notEqual(again.code, 0, explain(server, again));
    assert.match(again.stderr, new RegExp(`${port}`));
    assert.match(again.stderr, /already in use|already allocated/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);
  });
});
