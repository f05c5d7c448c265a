import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeServices } from '../api/node-services.js';
import { NodeRegistry } from '../server/node-registry.js';
import { NodeCredentials } from '../server/node-credentials.js';
import { JoinTokens } from '../server/join-tokens.js';
import { TokenAuthenticator } from '../server/http/auth.js';
import { eventually } from '../testing/eventually.js';
import { startTestHttpServer, type TestHttpServer } from '../testing/http-server.js';
import { TunnelClient } from '../agent/node/tunnel-client.js';

const ADMIN = 'admin-token';
const unused = (): never => { throw new Error('not used by this test'); };
const servicesOf = (who: string): NodeServices => ({
  podLogs: unused, podExec: unused, podAttach: unused, podPortForward: unused, podStats: unused,
  importImage: unused, removeImage: unused, pullImage: unused, pushImage: unused, tagImage: unused,
  listImages: async () => [{ node: 'edge', id: who, names: [], digest: '', sizeBytes: 0, architecture: 'amd64', os: 'linux' }],
});

/** Poll until fn answers true (the kit's eventually, 20 s, every 20 ms). */
const until = (what: string, fn: () => boolean | Promise<boolean>): Promise<true> => eventually(what, fn, { timeoutMs: 20_000, intervalMs: 20 });

describe("agents' tunnels against the real API server: one per node, redialled with back-off, cut on revocation", () => {
  let s: TestHttpServer;
  let url: string;
  const nodes = new NodeRegistry();
  let credential = '';
  const clients: TunnelClient[] = [];

  before(async () => {
    let creds!: NodeCredentials;
    s = await startTestHttpServer((t) => {
      creds = new NodeCredentials(t.store);
      creds.onRevoked((name) => nodes.tunnel(name)?.close('its credential was revoked'));
      const auth = new TokenAuthenticator((tok, c) => creds.identify(tok, c));
      auth.add(ADMIN, { name: 'admin', role: 'admin' });
      return {
        api: t.api, nodes, auth, version: 't',
        joins: { credentials: creds }, credentials: { nodeCredentials: creds, joinTokens: new JoinTokens(t.store, '0'.repeat(64)) },
      };
    }, { prefix: 'lantern-tunnel-takeover-' });
    url = s.url;
    credential = await creds.join({ nodeName: 'edge', nodeSecret: 'x'.repeat(64), caller: { name: 'node-join-token', role: 'join' } });
  });
  after(async () => {
    for (const c of clients) c.stop();
    await s.close();
  });

  const tunnelClient = (who: string, log: string[]): TunnelClient => {
    const c = new TunnelClient({ config: { server: url, token: credential }, nodeName: 'edge', services: servicesOf(who), log: (m) => log.push(m), minDelayMs: 50, maxDelayMs: 400 });
    clients.push(c);
    c.start();
    return c;
  };
  const servedBy = async (): Promise<string | undefined> => {
    try { return (await nodes.get('edge').listImages())[0]?.id; } catch { return undefined; }
  };

  test('a second agent with the same credential is refused (409) while the first answers, and gets in by redialling once it is gone', async () => {
    const logA: string[] = [];
    const logB: string[] = [];
    const a = tunnelClient('A', logA);
    await until('tunnel A up', async () => (await servedBy()) === 'A');
    tunnelClient('B', logB);
    await until('B refused', () => logB.some((l) => /answered 409 .*already has a live tunnel/.test(l)));
    assert.equal(await servedBy(), 'A', 'the live tunnel is kept, not replaced');
    a.stop();
    await until('B redialled and got in', async () => (await servedBy()) === 'B');
    assert.ok(logB.some((l) => /redialling in/.test(l)));
  });

  test('revoking the credential closes the live tunnel at once, and the redials are refused with 401', async () => {
    if (nodes.tunnel('edge') === undefined) tunnelClient('R', []);
    await until('a live tunnel', () => nodes.tunnel('edge') !== undefined);
    const res = await fetch(`${url}/apis/lantern.dev/v1/nodecredentials/edge`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(res.status, 200, await res.text());
    assert.equal(nodes.tunnel('edge'), undefined, 'the tunnel is gone before the revocation answered');
    const log: string[] = [];
    tunnelClient('C', log);
    await until('C refused', () => log.some((l) => /answered 401/.test(l)));
    assert.equal(await servedBy(), undefined);
  });
});
