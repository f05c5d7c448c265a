import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { ApiObject } from '../../api/meta.js';
import { openTestApi, type TestApi } from '../../testing/api.js';
import { withInProcessTokenRequests } from './in-process-tokens.js';
import { ServiceAccountTokens } from './sa-tokens.js';

let t: TestApi;
before(async () => { t = await openTestApi({ prefix: 'lantern-w1-inproc-' }); });
after(async () => { await t.close(); });

const pod = (name: string, nodeName: string): unknown => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, serviceAccountName: 'w1-sa', containers: [{ name: 'c', image: 'busybox' }] } });

test('the own node gets its pods\' tokens in process, never another node\'s; other API calls pass through', async () => {
  const tokens = new ServiceAccountTokens(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, t.api);
  const api = withInProcessTokenRequests(t.api, tokens, 'node-1', 'CA-PEM');
  await api.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'w1-sa', namespace: 'default' } });
  const mine = await api.create('pods', pod('mine', 'node-1') as ApiObject);
  await api.create('pods', pod('theirs', 'node-2') as ApiObject);
  assert.equal(api.config.ca, 'CA-PEM');
  const body = (name: string): unknown => ({ spec: { expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name } } });
  const answer = await api.json<{ status: { token: string } }>('POST', '/api/v1/namespaces/default/serviceaccounts/w1-sa/token', body('mine'));
  const id = await tokens.identify(answer.status.token);
  assert.equal(id?.name, 'system:serviceaccount:default:w1-sa');
  assert.ok(mine.metadata.uid);
  await assert.rejects(api.json('POST', '/api/v1/namespaces/default/serviceaccounts/w1-sa/token', body('theirs')), /node-1 may not create serviceaccounts\/token/);
  await assert.rejects(api.json('POST', '/api/v1/namespaces/default/serviceaccounts/w1-sa/token', { spec: {} }), /a node may ask only for the token of a pod bound to it/);
  await assert.rejects(api.json('GET', '/api/v1/namespaces'), /not served in process/);
});
