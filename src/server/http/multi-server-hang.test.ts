/** MultiServerClient against a server process that hangs without an error (SIGSTOPped): requests move on. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ApiObject } from '../../api/meta.js';
import { TokenAuthenticator } from './auth.js';
import { NodeRegistry } from '../node-registry.js';
import { startTestHttpServer, type TestHttpServer } from '../../testing/http-server.js';
import { MultiServerClient } from '../../client/multi-server.js';
import { hasDeadline } from '../../client/request-deadline.js';
import { eventually } from '../../testing/eventually.js';

const TOKEN = 'w4-hang-admin';
interface ConfigMap extends ApiObject { data?: Record<string, string> }
const cm = (name: string): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { k: name } });

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let a: TestHttpServer;
// "Hung": a real process (socat relaying to the API server) that gets SIGSTOPped: the kernel still
// accepts its connections, nothing ever answers, nothing fails.
let hung: ChildProcess;
let hungUrl: string;

/** Signal socat and the children it forked per connection (its own process group). */
function stopGroup(signal: NodeJS.Signals): void {
  if (hung.pid === undefined) return;
  try { process.kill(-hung.pid, signal); } catch { /* gone */ }
}

before(async () => {
  const auth = new TokenAuthenticator();
  auth.add(TOKEN, { name: 'admin', role: 'admin' });
  a = await startTestHttpServer((t) => ({ api: t.api, nodes: new NodeRegistry(), auth, version: 'test' }), { prefix: 'lantern-w4-hang-' });
  const port = await freePort();
  const target = new URL(a.url);
  hung = spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `TCP:${target.hostname}:${target.port}`], { stdio: 'ignore', detached: true });
  hungUrl = `http://127.0.0.1:${port}`;
  await eventually('socat listens', () => new Promise<boolean>((r) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); r(true); });
    s.on('error', () => r(false));
  }));
});
after(async () => {
  stopGroup('SIGCONT');
  stopGroup('SIGKILL');
  await a.close();
});

describe('a server that hangs without an error', () => {
  test('reads and creates move on to the next server after the request timeout', async () => {
    const client = new MultiServerClient({ server: '', token: TOKEN }, [hungUrl, a.url], { requestTimeoutMs: 700 });
    await client.create('configmaps', cm('w4-before'));
    assert.equal(client.server, hungUrl, 'the relay works while it runs');
    stopGroup('SIGSTOP');
    const got = await client.get<ConfigMap>('configmaps', 'w4-before', 'default');
    assert.equal(got.data?.k, 'w4-before');
    assert.equal(client.server, a.url, 'the client stays on the server that answered');

    const back = new MultiServerClient({ server: '', token: TOKEN }, [hungUrl, a.url], { requestTimeoutMs: 700 });
    const made = await back.create('configmaps', cm('w4-during'));
    assert.equal(made.metadata.name, 'w4-during');
    const all = await back.list<ConfigMap>('configmaps', 'default');
    assert.equal(all.items.filter((i) => i.metadata.name === 'w4-during').length, 1, 'made once');
    stopGroup('SIGCONT');
  });

  test('only requests that may be sent again get a deadline', () => {
    assert.ok(hasDeadline('GET', '/api/v1/namespaces/default/configmaps', undefined, false));
    assert.ok(hasDeadline('PUT', '/api/v1/namespaces/default/configmaps/x', '{}', false));
    assert.ok(hasDeadline('POST', '/api/v1/namespaces/default/configmaps', '{}', true), 'a create: same-intent settles a resend');
    assert.ok(!hasDeadline('POST', '/api/v1/namespaces/default/pods/p/binding', '{}', false), 'other POSTs are never resent');
    assert.ok(!hasDeadline('GET', '/api/v1/namespaces/default/configmaps?watch=1', undefined, false), 'a watch is long by design');
    assert.ok(!hasDeadline('GET', '/api/v1/namespaces/default/pods/p/log?follow=true', undefined, false), 'so is a followed log');
  });
});
