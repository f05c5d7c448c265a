import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { ApiError } from '../api/errors.js';
import { CniNetwork } from './cni-network.js';
import { netnsExists } from './netns.js';
import { validatePorts } from './ports.js';
import { freePort, getWhenUp, sandbox, startHttpd, type Sandbox } from './testkit.js';
import type { PortMapping } from './types.js';

const tcp = (hostPort: number, containerPort = 80, hostIP?: string): PortMapping =>
  ({ hostPort, containerPort, protocol: 'tcp', ...(hostIP ? { hostIP } : {}) });

describe('published port conflicts fail clearly', () => {
  let box: Sandbox;
  let other: Sandbox;
  let taken: number;

  before(async () => {
    box = await sandbox();
    other = await sandbox();
    taken = await freePort();
    box.pods.add('web-1').add('web-2').add('web-3').add('web-4');
    other.pods.add('elsewhere');
    await box.net.setUp('web-1', 'bridge', [tcp(taken)]);
  });
  after(async () => {
    await box.cleanup();
    await other.cleanup();
  });

  test('a second pod asking for the same host port gets "port N/tcp is already in use"', async () => {
    await assert.rejects(box.net.setUp('web-2', 'bridge', [tcp(taken, 8080)]), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.code, 'Conflict');
      assert.match(e.message, new RegExp(`^port ${taken}/tcp is already in use \\(published by pod "web-1"`));
      return true;
    });
    // nothing is left behind by the refused pod
    assert.equal(await netnsExists(`${box.options.netnsPrefix}web-2`), false);
    assert.deepEqual(await box.net.list(), ['web-1']);
  });

  test('the same port on a specific hostIP also clashes with an all-addresses mapping', async () => {
    await assert.rejects(box.net.setUp('web-2', 'bridge', [tcp(taken, 80, '127.0.0.1')]),
      new RegExp(`port 127\\.0\\.0\\.1:${taken}/tcp is already in use`));
  });

  test('the same number over udp is a different port and is allowed', async () => {
    await box.net.setUp('web-2', 'bridge', [{ hostPort: taken, containerPort: 53, protocol: 'udp' }]);
    await box.net.tearDown('web-2', []);
  });

  test('a pod of another Lantern instance (another stateDir) cannot take the port either', async () => {
    await assert.rejects(other.net.setUp('elsewhere', 'bridge', [tcp(taken)]),
      new RegExp(`port ${taken}/tcp is already in use \\(forwarded by CNI network "${box.options.networkName}" for container web-1\\)`));
  });

  test('a port a host process listens on gets the error, for tcp and udp', async () => {
    const port = await freePort();
    const srv: Server = createServer();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(port, '0.0.0.0', r));
    try {
      await assert.rejects(box.net.setUp('web-3', 'bridge', [tcp(port)]),
        new RegExp(`port ${port}/tcp is already in use \\(a process on this host is listening on it\\)`));
      await assert.rejects(box.net.setUp('web-3', 'bridge', [{ hostPort: port, containerPort: 53, protocol: 'udp' }]),
        new RegExp(`port ${port}/udp is already in use`));
      assert.equal(await netnsExists(`${box.options.netnsPrefix}web-3`), false);
    } finally {
      await new Promise((r) => srv.close(r));
      udp.close();
    }
  });

  test('after teardown the port can be published again and reaches the new pod', async () => {
    await box.net.tearDown('web-1', []);
    const pod = await box.net.setUp('web-4', 'bridge', [tcp(taken, 80, '127.0.0.1')]);
    await startHttpd(box, `${box.options.netnsPrefix}web-4`, 'web-4\n');
    assert.equal((await getWhenUp(`http://127.0.0.1:${taken}/`)).body, 'web-4\n');
    assert.ok(pod.ip);
  });
});

describe('port mapping validation', () => {
  const net = new CniNetwork({ stateDir: '/nonexistent/lantern-validate' });

  test('ports outside 1-65535, bad protocols and bad host IPs are refused, naming the field', () => {
    for (const [bad, field] of [
      [tcp(0), 'ports[0].hostPort'],
      [tcp(65536), 'ports[0].hostPort'],
      [tcp(8080, 0), 'ports[0].containerPort'],
      [tcp(8080, 1.5), 'ports[0].containerPort'],
      [{ hostPort: 8080, containerPort: 80, protocol: 'sctp' }, 'ports[0].protocol'],
      [tcp(8080, 80, '::1'), 'ports[0].hostIP'],
      [tcp(8080, 80, 'localhost'), 'ports[0].hostIP'],
    ] as const) {
      assert.throws(() => validatePorts([bad as PortMapping]), (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.code, 'Invalid');
        assert.ok(e.message.includes(field), e.message);
        return true;
      });
    }
  });

  test('the same host port twice in one request is refused', () => {
    assert.throws(() => validatePorts([tcp(8080), tcp(8080, 81)]), /8080\/tcp is published twice/);
  });

  test('protocol case and 0.0.0.0 are normalised', () => {
    assert.deepEqual(validatePorts([{ hostPort: 8080, containerPort: 80, protocol: 'TCP' as 'tcp', hostIP: '0.0.0.0' }]), [tcp(8080)]);
  });

  test('setUp rejects bad input before touching the host', async () => {
    await assert.rejects(net.setUp('p', 'bridge', [tcp(70000)]), /ports\[0\]\.hostPort: 70000 is not a port number \(1-65535\)/);
    await assert.rejects(net.setUp('p', 'none', [tcp(8080)]), /network mode is "none"/);
    await assert.rejects(net.setUp('', 'bridge', []), /pod id must be a non-empty string/);
  });

  test('a hostIP that is not on this host is refused', async () => {
    const box = await sandbox();
    box.pods.add('p');
    try {
      await assert.rejects(box.net.setUp('p', 'bridge', [tcp(await freePort(), 80, '203.0.113.77')]),
        /hostIP 203\.0\.113\.77 is not an address of this host/);
    } finally {
      await box.cleanup();
    }
  });
});
