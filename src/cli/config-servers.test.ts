import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serversOf } from './config-servers.js';
import { parseConfigText, resolveConfig } from './config.js';

test('a config file\'s servers: list, as a block or a flow sequence, becomes the server list lcctl fails over between', () => {
  assert.equal(serversOf('token: x\nservers:\n  - https://a:6443\n  - "https://b:6443"  # second\nserver: https://c:6443\n'), 'https://a:6443,https://b:6443');
  assert.equal(serversOf('servers: [https://a:6443, https://b:6443]\n'), 'https://a:6443,https://b:6443');
  assert.equal(serversOf('server: https://a:6443\n'), undefined);
  assert.equal(parseConfigText('server: https://a:6443\n').servers, undefined);
});

test('LANTERN_SERVER may list several servers; each bare host:port gets a scheme', () => {
  const c = resolveConfig({}, { LANTERN_SERVER: '10.0.0.1:6443,http://10.0.0.2:6443', LANTERN_TOKEN: 't', LANTERN_CONFIG: '/nonexistent-h3' }, '');
  assert.equal(c.server, 'http://10.0.0.1:6443,http://10.0.0.2:6443');
});
