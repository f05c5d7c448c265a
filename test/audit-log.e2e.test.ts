/**
 * The audit log of a real `lanternd server --audit-log-path FILE --audit-policy-file POLICY`: every
 * line an audit.k8s.io/v1 Event, levels as the policy says, 401/403 always there, secrets and
 * credentials never above Metadata, joins, credential issues and revocations, and tunnel connects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';

interface Event {
  kind: string; apiVersion: string; level: string; auditID: string; stage: string; requestURI: string; verb: string;
  user: { username: string; groups: string[] }; sourceIPs: string[]; userAgent?: string;
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; apiVersion?: string; subresource?: string };
  responseStatus?: { code: number; message?: string };
  requestObject?: { data?: Record<string, string> } & Record<string, unknown>;
  responseObject?: { metadata?: { uid?: string } } & Record<string, unknown>;
  requestReceivedTimestamp: string; stageTimestamp: string; annotations?: Record<string, string>;
}

const policy = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version"]
  # Would silence failed logins: every 401 is logged anyway.
  - level: None
    users: ["system:anonymous"]
  # Would silence what nodes list: a 403 is logged anyway.
  - level: None
    userGroups: ["system:nodes"]
    verbs: ["list"]
  # Would log joins with their bodies: joins carry credentials, so Metadata at most.
  - level: RequestResponse
    userGroups: ["system:bootstrappers"]
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["secrets", "configmaps"]
      - group: lantern.dev
  - level: Request
    namespaces: ["team-a"]
  - level: Metadata
`;

const microTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const secretValue = Buffer.from('hunter2-the-secret-value').toString('base64');

describe('audit log (lanternd server --audit-log-path, --audit-policy-file)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-audit-'));
  const auditFile = path.join(dir, 'logs', 'audit.log');
  const policyFile = path.join(dir, 'policy.yaml');
  writeFileSync(policyFile, policy);
  const server = new TestServer(['--no-agent', '--audit-log-path', auditFile, '--audit-policy-file', policyFile]);
  let nodeCredential = '';
  const secretsSeen: string[] = [secretValue];

  before(async () => { await server.start(); });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = (): Event[] => readFileSync(auditFile, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Event);
  const waitFor = (what: string, pred: (e: Event) => boolean): Promise<Event> => server.until(what, async () => events().find(pred));

  async function call(method: string, p: string, token: string, body?: unknown): Promise<{ status: number; auditId: string | null; body: Record<string, unknown> }> {
    // A fresh connection each time: revoking a node's credential closes its connections.
    const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = http.request(server.url + p, { method, agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'user-agent': 'audit-e2e/1.0' } }, (r) => {
        let text = '';
        r.on('data', (d: Buffer) => { text += d.toString(); });
        r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, text }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
    const auditId = res.headers['audit-id'];
    return { status: res.status, auditId: typeof auditId === 'string' ? auditId : null, body: res.text === '' ? {} : JSON.parse(res.text) as Record<string, unknown> };
  }

  test('a ConfigMap create is one audit.k8s.io/v1 Event at RequestResponse, with both objects', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/configmaps', server.token, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { color: 'blue' } });
    assert.equal(res.status, 201);
    const e = await waitFor('the create event', (ev) => ev.auditID === res.auditId);
    assert.equal(e.kind, 'Event');
    assert.equal(e.apiVersion, 'audit.k8s.io/v1');
    assert.equal(e.level, 'RequestResponse');
    assert.equal(e.stage, 'ResponseComplete');
    assert.equal(e.verb, 'create');
    assert.equal(e.requestURI, '/api/v1/namespaces/default/configmaps');
    assert.deepEqual(e.user, { username: 'admin', groups: ['system:masters', 'system:authenticated'] });
    assert.deepEqual(e.sourceIPs, ['127.0.0.1']);
    assert.equal(e.userAgent, 'audit-e2e/1.0');
    assert.deepEqual(e.objectRef, { resource: 'configmaps', namespace: 'default', name: 'cm1', apiVersion: 'v1' });
    assert.equal(e.responseStatus?.code, 201);
    assert.equal(e.requestObject?.data?.color, 'blue');
    assert.equal(typeof e.responseObject?.metadata?.uid, 'string');
    assert.match(e.requestReceivedTimestamp, microTime);
    assert.match(e.stageTimestamp, microTime);
    assert.equal(e.annotations?.['authorization.k8s.io/decision'], 'allow');
    assert.equal(statSync(auditFile).mode & 0o777, 0o600);
  });

  test('a Secret is logged at Metadata although the policy says RequestResponse: its data is nowhere in the log', async () => {
    const res = await call('POST', '/api/v1/namespaces/default/secrets', server.token, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' }, data: { password: secretValue } });
    assert.equal(res.status, 201);
    const read = await call('GET', '/api/v1/namespaces/default/secrets/s1', server.token);
    assert.equal(read.status, 200);
    const created = await waitFor('the secret create', (ev) => ev.auditID === res.auditId);
    const got = await waitFor('the secret get', (ev) => ev.auditID === read.auditId);
    for (const e of [created, got]) {
      assert.equal(e.level, 'Metadata');
      assert.equal(e.requestObject, undefined);
      assert.equal(e.responseObject, undefined);
    }
    assert.deepEqual(created.objectRef, { resource: 'secrets', namespace: 'default', name: 's1', apiVersion: 'v1' });
    assert.equal(got.verb, 'get');
  });

  test('a rule by namespace at Request level logs the request object but not the response', async () => {
    const res = await call('POST', '/api/v1/namespaces/team-a/pods', server.token, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const e = await waitFor('the team-a event', (ev) => ev.auditID === res.auditId);
    assert.equal(e.level, 'Request');
    assert.equal((e.requestObject?.metadata as { name?: string } | undefined)?.name, 'p1');
    assert.equal(e.responseObject, undefined);
  });

  test('health checks the policy drops are not logged; a 401 is, although the policy says None for anonymous users', async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const res = await call('GET', '/api/v1/pods', 'not-a-valid-token');
    assert.equal(res.status, 401);
    const e = await waitFor('the 401', (ev) => ev.auditID === res.auditId);
    assert.equal(e.level, 'Metadata');
    assert.equal(e.responseStatus?.code, 401);
    assert.match(e.responseStatus?.message ?? '', /token is not valid/);
    assert.deepEqual(e.user, { username: 'system:anonymous', groups: ['system:unauthenticated'] });
    assert.equal(events().some((ev) => ev.requestURI === '/healthz'), false);
  });

  test('a join is logged at Metadata only: the credential it answers and the node secret it carries are not in the log', async () => {
    const joinToken = server.joinToken;
    const nodeSecret = `node-secret-${'s'.repeat(40)}`;
    secretsSeen.push(nodeSecret);
    const res = await call('POST', '/apis/lantern.dev/v1/nodes/join', joinToken, { nodeName: 'edge-audit', nodeSecret });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    nodeCredential = String(res.body.token);
    secretsSeen.push(nodeCredential);
    const e = await waitFor('the join', (ev) => ev.auditID === res.auditId);
    assert.equal(e.level, 'Metadata');
    assert.equal(e.verb, 'create');
    assert.deepEqual(e.objectRef, { resource: 'nodes', name: 'edge-audit', apiGroup: 'lantern.dev', apiVersion: 'v1', subresource: 'join' });
    assert.ok(e.user.groups.includes('system:bootstrappers'));
    assert.equal(e.requestObject, undefined);
    assert.equal(e.responseObject, undefined);
  });

  test('a 403 is logged although the policy says None for what nodes list', async () => {
    const allowed = await call('GET', '/api/v1/nodes', nodeCredential);
    assert.equal(allowed.status, 200);
    const refused = await call('GET', '/api/v1/secrets', nodeCredential);
    assert.equal(refused.status, 403);
    const e = await waitFor('the 403', (ev) => ev.auditID === refused.auditId);
    assert.equal(e.level, 'Metadata');
    assert.equal(e.responseStatus?.code, 403);
    assert.equal(e.user.username, 'system:node:edge-audit');
    assert.ok(e.user.groups.includes('system:nodes'));
    assert.equal(e.annotations?.['authorization.k8s.io/decision'], 'forbid');
    assert.equal(events().some((ev) => ev.auditID === allowed.auditId), false, 'the allowed list follows the None rule');
  });

  test('a tunnel connect is logged with the remote address when it starts, and again when it ends', async () => {
    const url = new URL(server.url);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let got = '';
    socket.on('data', (d: Buffer) => { got += d.toString('latin1'); });
    socket.write(`GET /apis/lantern.dev/v1/nodes/edge-audit/tunnel HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${nodeCredential}\r\nConnection: Upgrade\r\nUpgrade: lantern-tunnel\r\n\r\n`);
    await server.until('101', async () => got.startsWith('HTTP/1.1 101'));
    const started = await waitFor('the tunnel start', (ev) => ev.objectRef?.subresource === 'tunnel' && ev.stage === 'ResponseStarted');
    assert.equal(started.responseStatus?.code, 101);
    assert.deepEqual(started.objectRef, { resource: 'nodes', name: 'edge-audit', apiGroup: 'lantern.dev', apiVersion: 'v1', subresource: 'tunnel' });
    assert.equal(started.annotations?.['lantern.dev/remote-address'], `127.0.0.1:${socket.localPort}`);
    assert.equal(started.user.username, 'system:node:edge-audit');
    socket.destroy();
    const ended = await waitFor('the tunnel end', (ev) => ev.auditID === started.auditID && ev.stage === 'ResponseComplete');
    assert.equal(ended.responseStatus?.code, 101);
  });

  test('a watch is logged when it starts and when it ends', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${server.url}/api/v1/namespaces/default/pods?watch=1`, { headers: { authorization: `Bearer ${server.token}` } }, resolve).on('error', reject);
    });
    const id = String(res.headers['audit-id']);
    const started = await waitFor('the watch start', (ev) => ev.auditID === id && ev.stage === 'ResponseStarted');
    assert.equal(started.verb, 'watch');
    res.destroy();
    await waitFor('the watch end', (ev) => ev.auditID === id && ev.stage === 'ResponseComplete');
  });

  test('credential issues and revocations are logged at Metadata without the tokens', async () => {
    const created = await call('POST', '/apis/lantern.dev/v1/jointokens', server.token, { ttlSeconds: 3600, description: 'audit test' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    for (const v of Object.values(created.body)) if (typeof v === 'string' && v.length >= 20) secretsSeen.push(v);
    const revoked = await call('DELETE', '/apis/lantern.dev/v1/nodecredentials/edge-audit', server.token);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const issue = await waitFor('the token issue', (ev) => ev.auditID === created.auditId);
    const revoke = await waitFor('the revocation', (ev) => ev.auditID === revoked.auditId);
    assert.equal(issue.verb, 'create');
    assert.equal(issue.objectRef?.resource, 'jointokens');
    assert.equal(revoke.verb, 'delete');
    assert.deepEqual(revoke.objectRef, { resource: 'nodecredentials', name: 'edge-audit', apiGroup: 'lantern.dev', apiVersion: 'v1' });
    for (const e of [issue, revoke]) {
      assert.equal(e.level, 'Metadata');
      assert.equal(e.responseObject, undefined);
    }
    // The revoked credential is refused, and that 401 is logged too.
    const after = await call('GET', '/api/v1/nodes', nodeCredential);
    assert.equal(after.status, 401);
    await waitFor('the 401 after revocation', (ev) => ev.auditID === after.auditId);
  });

  test('no token, secret or credential anywhere in the file', () => {
    const text = readFileSync(auditFile, 'utf8');
    assert.ok(secretsSeen.length >= 4);
    for (const s of secretsSeen) assert.equal(text.includes(s), false, `the log contains ${s.slice(0, 12)}...`);
    assert.equal(text.includes(server.token), false, 'the admin token');
    for (const e of events()) assert.equal(e.apiVersion, 'audit.k8s.io/v1');
  });
});
