import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from './http-client.js';
import { responseWarnings } from './warnings.js';

describe('response warnings', () => {
  test('299 texts are read, unescaped, from one or several headers; other codes are ignored', () => {
    assert.deepEqual(responseWarnings({ warning: '299 - "would violate PodSecurity \\"restricted:latest\\": x"' }), ['would violate PodSecurity "restricted:latest": x']);
    assert.deepEqual(responseWarnings({ warning: '299 - "a", 299 lanternd "b" "Sat, 05 Dec 2026 10:00:00 GMT", 199 - "misc"' }), ['a', 'b']);
    assert.deepEqual(responseWarnings({}), []);
  });

  test('HttpClient hands every warning of every request to onWarning', async () => {
    const server = http.createServer((_req, res) => {
      res.setHeader('warning', ['299 - "first"', '299 - "second"']);
      res.setHeader('content-type', 'application/json');
      res.end('{"kind":"Status","status":"Success"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const seen: string[] = [];
      const c = new HttpClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't', onWarning: (w) => seen.push(w) });
      await c.json('GET', '/api/v1/namespaces/default/pods/x');
      assert.deepEqual(seen, ['first', 'second']);
    } finally { server.close(); }
  });
});
