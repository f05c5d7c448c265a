import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpClient } from '../../../client/http-client.js';
import { ADMIN, NODE, get, startChainServer, until, type ChainServer } from './test-server.js';

/** Registry paths containing /hold/ wait until release(): requests the test keeps in flight. */
function holdingRegistry(): { handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>; release: () => void; held: () => number } {
  let waiting: (() => void)[] = [];
  return {
    handler: async (req, res) => {
      req.resume();
      if (req.url?.includes('/hold/')) await new Promise<void>((r) => waiting.push(r));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    },
    release: () => { for (const r of waiting) r(); waiting = []; },
    held: () => waiting.length,
  };
}

/** Start a request and leave it pending (the handler holds it). */
function send(port: number, method: string, path: string, token: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false, headers: { authorization: `Bearer ${token}`, 'content-length': '0' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function metric(s: ChainServer, line: RegExp): Promise<string | undefined> {
  return (await s.metrics.expose()).split('\n').find((l) => line.test(l));
}

describe('requests in flight (--max-requests-inflight, --max-mutating-requests-inflight)', () => {
  let s: ChainServer;
  const registry = holdingRegistry();

  before(async () => {
    s = await startChainServer({ limits: { maxRequestsInflight: 2, maxMutatingRequestsInflight: 1 }, registry: registry.handler });
  });
  after(async () => { registry.release(); await s.close(); });

  test('past the read-only cap a request is 429 with Retry-After and a TooManyRequests body; writes have their own cap; streams take no slot', async () => {
    const held = [send(s.port, 'GET', '/v2/app/hold/1', NODE), send(s.port, 'GET', '/v2/app/hold/2', NODE)];
    await until('two reads in flight', () => registry.held() === 2);
    assert.equal(await metric(s, /^apiserver_current_inflight_requests\{request_kind="readOnly"\}/), 'apiserver_current_inflight_requests{request_kind="readOnly"} 2');

    const refused = await get(s.port, '/api/v1/nodes', NODE);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '1');
    const body = JSON.parse(refused.body) as { reason: string; code: number; message: string };
    assert.equal(body.reason, 'TooManyRequests');
    assert.equal(body.code, 429);
    assert.match(body.message, /--max-requests-inflight/);

    // A watch is long-running: it is served although every read-only slot is taken.
    const watch = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: s.port, path: '/api/v1/nodes?watch=1', headers: { authorization: `Bearer ${NODE}` } }, resolve).on('error', reject);
    });
    assert.equal(watch.statusCode, 200);
    watch.destroy();

    // Writes are counted apart: one may run, a second is refused.
    const write = send(s.port, 'PUT', '/v2/app/hold/3', NODE);
    await until('one write in flight', () => registry.held() === 3);
    const secondWrite = await send(s.port, 'PUT', '/v2/app/manifests/x', NODE);
    assert.equal(secondWrite.status, 429);
    assert.match(secondWrite.body, /--max-mutating-requests-inflight/);

    registry.release();
    for (const r of [...held, write]) assert.equal((await r).status, 200);
    await until('slots released', async () => (await metric(s, /request_kind="readOnly"/))?.endsWith(' 0') === true);
    assert.equal((await get(s.port, '/api/v1/nodes', NODE)).status, 200);
    assert.match(await metric(s, /^apiserver_dropped_requests_total\{request_kind="mutating"\}/) ?? '', / 1$/);
  });

  test('the admin is always answered, as system:masters is by kube-apiserver', async () => {
    const held = [send(s.port, 'GET', '/v2/app/hold/1', NODE), send(s.port, 'GET', '/v2/app/hold/2', NODE)];
    await until('two reads in flight', () => registry.held() === 2);
    assert.equal((await get(s.port, '/api/v1/nodes', NODE)).status, 429);
    assert.equal((await get(s.port, '/api/v1/nodes', ADMIN)).status, 200);
    registry.release();
    await Promise.all(held);
  });

  test('the HTTP client (lcctl, agents) waits Retry-After and retries a 429, so a busy server is no error', async () => {
    const held = [send(s.port, 'GET', '/v2/app/hold/1', NODE), send(s.port, 'GET', '/v2/app/hold/2', NODE)];
    await until('two reads in flight', () => registry.held() === 2);
    const dropped = async (): Promise<number> => Number((await metric(s, /^apiserver_dropped_requests_total\{request_kind="readOnly"\}/))?.split(' ')[1] ?? 0);
    const before = await dropped();
    const client = new HttpClient({ server: s.base, token: NODE });
    const answer = client.list('nodes');
    await until('the client was refused once', async () => (await dropped()) > before);
    registry.release();
    assert.deepEqual((await answer).items, []);
    await Promise.all(held);
  });
});
