import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../client/http-client.js';
import { startChainServer, type ChainServer } from '../server/http/chain/test-server.js';
import { checkServerVersion } from './server-version-check.js';

let s: ChainServer;
before(async () => { s = await startChainServer({ version: '0.3.0' }); });
after(async () => { await s.close(); });

test('the agent checks the server version itself before it uses a stored credential or joins', async () => {
  const client = new HttpClient({ server: s.base, token: 'none' });
  await assert.rejects(checkServerVersion(client, '0.4.0'), /version skew with http:\/\/127\.0\.0\.1:\d+: the agent is newer than the server \(agent 0\.4\.0, server 0\.3\.0\)/);
  await assert.rejects(checkServerVersion(client, '0.1.0'), /2 minor versions older/);
  await checkServerVersion(client, '0.2.0');
});
