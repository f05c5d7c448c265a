/**
 * Issue 11, items 1 and 8: no takeover of a node with the join token or a node credential, revocable
 * credentials, join tokens with an expiry, admin-token rotation, joins per minute, a private state.db.
 * A real `lanternd server` (HTTPS, with its own node "node-1") and a real `lanternd agent` "edge-1".
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { LanterndProcess, TestServer, runLanternd } from './harness/lanternd.js';
import { RemoteAgent } from './harness/remote-agent.js';
import { dialTunnel } from './harness/remote-nodes.js';

const joinPath = '/apis/lantern.dev/v1/nodes/join';
const secret = (): string => randomBytes(32).toString('hex');
const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8);
interface Msg { message?: string; token?: string }

/** The TCP connections a process holds to a local port: its local ports. */
function localPortsOf(pid: number, serverPort: string): string[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established', `( dport = :${serverPort} )`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(`pid=${pid},`)).map((l) => /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:\d+/.exec(l)?.[1]).filter((p): p is string => p !== undefined);
}

describe('node takeover, credentials and tokens (real lanternd server and agent)', { timeout: 300_000 }, () => {
  // Limits high enough for this file's joins; the default limits have their own test below.
  const server = new TestServer(['--join-rate-limit', '100', '--join-rate-limit-per-client', '100'], { https: true });
  let edge: RemoteAgent;
  let joinToken = '';
  let tokenFile = '';
  const sims: LanterndProcess[] = [];
  /** iptables rules a test inserted and has not removed yet (after() removes them if it could not). */
  const blackholes: string[][] = [];
  const scratch = mkdtempSync(path.join(tmpdir(), 'lantern-e2e-takeover-files-'));

  const join = (body: Record<string, unknown>, token = joinToken): Promise<{ status: number; body: Msg }> => server.api<Msg>('POST', joinPath, body, token);
  const tunnelServes = async (node: string): Promise<number> => (await server.api('GET', `/api/v1/nodes/${node}/proxy/metrics/cadvisor`)).status;

  before(async () => {
    // The server runs with a permissive umask, as a careless unit file would start it.
    const umask = process.umask(0o000);
    try { await server.start(); } finally { process.umask(umask); }
    joinToken = server.joinToken;
    const made = await server.lcctl(['token', 'create', '--ttl', '1h', '--description', 'edge rack']);
    assert.equal(made.code, 0, made.stderr);
    tokenFile = path.join(scratch, 'edge-token');
    writeFileSync(tokenFile, made.stdout, { mode: 0o600 });
    edge = new RemoteAgent(server, 'edge-1', { busybox: false, tokenArgs: () => ['--token-file', tokenFile] });
    await edge.start();
    await server.until(`edge-1's tunnel is up (agent log: ${edge.log})`, async () => await tunnelServes('edge-1') === 200, 30_000);
  });

  after(async () => {
    for (const r of blackholes.splice(0)) execFileSync('iptables', ['-w', '-D', ...r]);
    for (const s of sims) await s.kill9();
    await edge?.remove();
    rmSync(scratch, { recursive: true, force: true });
    await server.stop();
  });

  test('state.db and its WAL are 0600 although lanternd ran under umask 000; the node secret is 0600', () => {
    const db = path.join(server.dataDir, 'state.db');
    assert.equal(mode(db), '600');
    for (const f of readdirSync(server.dataDir).filter((n) => n.startsWith('state.db-'))) assert.equal(mode(path.join(server.dataDir, f)), '600', f);
    assert.ok(readdirSync(server.dataDir).includes('state.db-wal'));
    assert.equal(mode(path.join(edge.dataDir, 'node-secret')), '600');
  });

  test('with the join token, a live remote node and the server\'s own node cannot be joined again; the real node is untouched', async () => {
    const cred = edge.credential();
    for (const body of [{ nodeName: 'edge-1' }, { nodeName: 'edge-1', nodeSecret: secret() }]) {
      const r = await join(body);
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.match(r.body.message ?? '', /node "edge-1" has already joined, and this join did not prove its node secret .*lcctl node revoke edge-1/);
    }
    const own = await join({ nodeName: 'node-1', nodeSecret: secret() });
    assert.equal(own.status, 403);
    assert.match(own.body.message ?? '', /node "node-1" is this server's own node .* cannot be joined from outside/);
    assert.equal((await server.api('GET', '/api/v1/nodes/edge-1', undefined, cred)).status, 200, 'the real credential still works');
    assert.equal(await tunnelServes('edge-1'), 200, 'and the real tunnel still serves');
    const listed = await server.lcctl(['node', 'credentials']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^NODE\s+ISSUED\s+LAST JOIN\s+NODE SECRET\s+VIA/);
    assert.match(listed.stdout, /^edge-1\s+\S+\s+\S+\s+yes\s+system:bootstrap:[a-z0-9]{6}$/m);
  });

  test('the join token may not manage tokens or credentials, rotate the admin token, or open a tunnel', async () => {
    for (const [method, p] of [['GET', '/apis/lantern.dev/v1/jointokens'], ['POST', '/apis/lantern.dev/v1/jointokens'], ['GET', '/apis/lantern.dev/v1/nodecredentials'],
      ['DELETE', '/apis/lantern.dev/v1/nodecredentials/edge-1'], ['POST', '/apis/lantern.dev/v1/admintoken/rotate']] as const) {
      assert.equal((await server.api(method, p, method === 'POST' ? {} : undefined, joinToken)).status, 403, `${method} ${p}`);
    }
    for (const node of ['edge-1', 'node-1']) assert.equal((await dialTunnel(server, node, joinToken)).status, 403, node);
    assert.equal(await tunnelServes('edge-1'), 200);
  });

  test('a node credential may not manage credentials, revoke another node, or open another node\'s tunnel (the server\'s own included)', async () => {
    const joined = await join({ nodeName: 'evil', nodeSecret: secret() });
    assert.equal(joined.status, 201);
    const evil = joined.body.token!;
    for (const [method, p] of [['GET', '/apis/lantern.dev/v1/jointokens'], ['POST', '/apis/lantern.dev/v1/jointokens'], ['GET', '/apis/lantern.dev/v1/nodecredentials'],
      ['DELETE', '/apis/lantern.dev/v1/nodecredentials/edge-1'], ['DELETE', '/api/v1/nodes/edge-1'], ['POST', '/apis/lantern.dev/v1/admintoken/rotate']] as const) {
      assert.equal((await server.api(method, p, method === 'POST' ? {} : undefined, evil)).status, 403, `${method} ${p}`);
    }
    for (const node of ['edge-1', 'node-1']) {
      const r = await dialTunnel(server, node, evil);
      assert.equal(r.status, 403, node);
      assert.match(r.message, new RegExp(`system:node:evil may not tunnel nodes "${node}"`));
    }
    assert.equal((await server.api('GET', '/api/v1/nodes/edge-1', undefined, edge.credential())).status, 200);
  });

  test('a second tunnel for a node whose tunnel is live is refused (409), and the first keeps serving', async () => {
    const r = await dialTunnel(server, 'edge-1', edge.credential());
    assert.equal(r.status, 409);
    assert.match(r.message, /node "edge-1" already has a live tunnel \(from 127\.0\.0\.1:\d+, since .*\); a second one is refused/);
    assert.equal(await tunnelServes('edge-1'), 200);
  });

  test('an agent whose connection died without a FIN gets its tunnel back: the silent old one is pinged and dropped', async () => {
    const port = new URL(server.url).port;
    const ports = localPortsOf(edge.process!.pid, port);
    assert.ok(ports.length > 0, 'the agent holds connections to the server');
    // Black-hole every connection of this agent, then kill it: its FINs never reach the server.
    const rules = ports.flatMap((p) => [['--sport', p, '--dport', port], ['--sport', port, '--dport', p]])
      .map((r) => ['INPUT', '-p', 'tcp', '-s', '127.0.0.1', '-d', '127.0.0.1', ...r, '-j', 'DROP']);
    for (const r of rules) { execFileSync('iptables', ['-w', '-I', ...r]); blackholes.push(r); }
    try {
      await edge.kill9();
      assert.doesNotMatch(server.logs, /node edge-1 tunnel closed/, 'the server still holds the old tunnel');
      await edge.start();
      await server.until(`the new tunnel serves (agent log: ${edge.log})`, async () => await tunnelServes('edge-1') === 200, 60_000);
      assert.match(server.logs, /node edge-1 tunnel closed: it did not answer a ping within 5s when 127\.0\.0\.1:\d+ offered a new tunnel/);
    } finally {
      for (const r of blackholes.splice(0)) execFileSync('iptables', ['-w', '-D', ...r]);
    }
  });

  test('join tokens: create, list, use from --token-file and LANTERN_TOKEN (not in ps), delete; an expired one is refused clearly', async () => {
    const made = await server.lcctl(['token', 'create', '--ttl', '2h', '--description', 'sim fleet']);
    assert.equal(made.code, 0, made.stderr);
    const token = made.stdout.trim();
    const id = /::([a-z0-9]{6})\./.exec(token)?.[1] ?? '';
    const listed = await server.lcctl(['token', 'list']);
    assert.match(listed.stdout, /^ID\s+TTL\s+EXPIRES\s+DESCRIPTION$/m);
    assert.match(listed.stdout, new RegExp(`^${id}\\s+(1h59m|120m|119m|2h)\\s+\\S+\\s+sim fleet$`, 'm'));
    assert.match(listed.stdout, /edge rack/);
    assert.ok(!listed.stdout.includes(token.split('.')[1]!), 'no secret is listed');

    const caFile = path.join(server.dataDir, 'pki/ca.crt');
    const env = { ...process.env, LANTERN_TOKEN: token };
    const sim = new LanterndProcess(['sim', '--server', server.url, '--ca-file', caFile, '--nodes', '1', '--name-prefix', 'envtok-'], { env });
    sims.push(sim);
    await server.until('the simulated node joined with LANTERN_TOKEN', async () => (await server.api('GET', '/api/v1/nodes/envtok-0')).status === 200, 30_000);
    assert.ok(!readFileSync(`/proc/${sim.pid}/cmdline`, 'utf8').includes(token.split('.')[1]!), 'the token is not on the command line');
    const creds = await server.lcctl(['node', 'credentials']);
    assert.match(creds.stdout, new RegExp(`^envtok-0\\s.*system:bootstrap:${id}$`, 'm'));

    const deleted = await server.lcctl(['token', 'delete', id]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, `join token "${id}" deleted\n`);
    assert.equal((await join({ nodeName: 'late', nodeSecret: secret() }, token)).status, 401);

    const short = (await server.lcctl(['token', 'create', '--ttl', '1s'])).stdout.trim();
    const expired = await server.until('the 1s token expired', async () => {
      const r = await join({ nodeName: 'too-late', nodeSecret: secret() }, short);
      return r.status === 401 ? r : undefined;
    }, 10_000);
    assert.match(expired.body.message ?? '', /join token "[a-z0-9]{6}" expired at \S+: ask an admin for a new one/);
    const shortFile = path.join(scratch, 'short-token');
    writeFileSync(shortFile, short + '\n');
    const agentDir = path.join(scratch, 'expired-agent');
    const refused = await runLanternd(['agent', '--server', server.url, '--token-file', shortFile, '--data-dir', agentDir, '--node-name', 'too-late', '--bridge', `lt${randomBytes(3).toString('hex')}`]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /joining https:\/\/127\.0\.0\.1:\d+ failed: join token "[a-z0-9]{6}" expired at/);
  });

  test('revoking a credential and deleting a Node cut the node off at once; the real node joins again after the delete', async () => {
    const evil = (await join({ nodeName: 'evil-2', nodeSecret: secret() })).body.token!;
    const revoked = await server.lcctl(['node', 'revoke', 'evil-2']);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, 'node credential "evil-2" revoked\n');
    assert.equal((await server.api('GET', '/api/v1/nodes', undefined, evil)).status, 401);

    const cred = edge.credential();
    const del = await server.lcctl(['delete', 'node', 'edge-1']);
    assert.equal(del.code, 0, del.stderr);
    assert.equal((await server.api('GET', '/api/v1/nodes', undefined, cred)).status, 401, 'revoked before the delete answered');
    assert.equal(await tunnelServes('edge-1'), 503, 'its tunnel was closed with it');
    // The real node (its agent restarted) joins again with its secret, as a new node.
    await edge.kill9();
    await edge.start();
    assert.notEqual(edge.credential(), cred);
    await server.until('edge-1 serves through its tunnel again', async () => await tunnelServes('edge-1') === 200, 30_000);
  });

  test('rotating the admin token: the old one stops at once, admin.yaml and admin-token are rewritten, lcctl\'s config gets the new one', async () => {
    const old = server.token;
    const mine = path.join(scratch, 'config.yaml');
    copyFileSync(server.configFile, mine);
    const r = await server.lcctl(['token', 'rotate', '--admin'], undefined, { LANTERN_CONFIG: mine });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /admin token rotated: the old one no longer works; wrote the new one to /);
    const fresh = /^token: (\S+)$/m.exec(readFileSync(mine, 'utf8'))?.[1] ?? '';
    assert.notEqual(fresh, old);
    server.token = fresh;
    assert.equal((await server.api('GET', '/api/v1/nodes', undefined, old)).status, 401);
    assert.equal((await server.api('GET', '/api/v1/nodes', undefined, fresh)).status, 200);
    assert.equal(readFileSync(path.join(server.dataDir, 'admin-token'), 'utf8').trim(), fresh);
    assert.match(readFileSync(server.configFile, 'utf8'), new RegExp(`^token: ${fresh}$`, 'm'));
    assert.equal(mode(server.configFile), '600');
    assert.equal((await server.lcctl(['get', 'nodes'])).code, 0);
  });
});

describe('joins per minute (lanternd server --join-rate-limit)', { timeout: 60_000 }, () => {
  const server = new TestServer(['--no-agent', '--join-rate-limit', '3']);
  before(() => server.start());
  after(() => server.stop());

  test('beyond the limit a join answers 429 with Retry-After, and the message names the flag', async () => {
    const token = server.joinToken;
    const post = (name: string): Promise<Response> => fetch(server.url + joinPath, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ nodeName: name, nodeSecret: secret() }),
    });
    for (const name of ['r-1', 'r-2', 'r-3']) assert.equal((await post(name)).status, 201, name);
    const refused = await post('r-4');
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    const body = await refused.json() as { reason: string; message: string };
    assert.equal(body.reason, 'TooManyRequests');
    assert.match(body.message, /too many node joins: try again in \d+s .*--join-rate-limit/);
  });
});
