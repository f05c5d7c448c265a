import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../audit/audit-log.js';
import { openTestApi, type TestApi } from '../../../testing/api.js';
import { NodeCredentials } from '../../node-credentials.js';
import { ADMIN, JOIN, startChainServer, until, type ChainServer } from './test-server.js';

describe('audit step: stages', () => {
  let s: ChainServer;
  let t: TestApi;
  let audit: AuditLog;
  let file = '';

  before(async () => {
    t = await openTestApi({ prefix: 'lantern-audit-step-' });
    file = join(t.dir, 'audit.log');
    audit = await AuditLog.open({ path: file });
    // An API whose list of ConfigMaps fails with a programming error, not an ApiError (admission's own lists, as quota's, still work).
    const list = t.api.list.bind(t.api);
    t.api.list = ((resource: string, ...rest: Parameters<typeof list> extends [string, ...infer R] ? R : never) => {
      if (resource === 'configmaps') throw new TypeError('boom: cannot read properties of undefined');
      return list(resource, ...rest);
    }) as typeof t.api.list;
    s = await startChainServer({ api: t.api, audit, joins: { credentials: new NodeCredentials(t.store) } });
  });
  after(async () => {
    await s.close();
    await audit.close();
    await t.close();
  });

  const events = (): { stage: string; auditID: string; responseStatus: { code: number; message?: string }; level: string; objectRef?: { name?: string }; requestObject?: unknown }[] =>
    readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as never);

  test('an unexpected exception is answered 500 and logged at stage Panic; with no policy file every request is at Metadata', async () => {
    const res = await fetch(`${s.base}/api/v1/namespaces/default/configmaps`, { headers: { authorization: `Bearer ${ADMIN}` } });
    assert.equal(res.status, 500);
    const id = res.headers.get('audit-id');
    await until('the event', () => events().some((e) => e.auditID === id));
    const e = events().find((ev) => ev.auditID === id)!;
    assert.equal(e.stage, 'Panic');
    assert.equal(e.level, 'Metadata');
    assert.equal(e.responseStatus.code, 500);
    assert.match(e.responseStatus.message ?? '', /boom/);
    const ok = await fetch(`${s.base}/healthz`);
    await until('the healthz event', () => events().some((ev) => ev.auditID === ok.headers.get('audit-id') && ev.stage === 'ResponseComplete'));
  });

  test('at Metadata no body is logged, yet a create and a join name their object', async () => {
    const post = (path: string, token: string, body: unknown): Promise<Response> =>
      fetch(`${s.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('/api/v1/namespaces/default/configmaps', ADMIN, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'named-by-create' } });
    assert.equal(created.status, 201);
    const joined = await post('/apis/lantern.dev/v1/nodes/join', JOIN, { nodeName: 'edge-named', nodeSecret: 'n'.repeat(40) });
    assert.equal(joined.status, 201, await joined.clone().text());
    for (const [res, name] of [[created, 'named-by-create'], [joined, 'edge-named']] as const) {
      const id = res.headers.get('audit-id');
      await until('the event', () => events().some((e) => e.auditID === id));
      const e = events().find((ev) => ev.auditID === id)!;
      assert.equal(e.level, 'Metadata');
      assert.equal(e.objectRef?.name, name);
      assert.equal(e.requestObject, undefined);
    }
  });
});
