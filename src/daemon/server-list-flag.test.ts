import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeServerFlags } from './server-list-flag.js';
import { agentConfigFromArgs } from './agent-config.js';

test('--server repeated or as a list names every server, in order, once', async () => {
  assert.deepEqual(mergeServerFlags(['--server', 'https://a:6443', '--token', 't', '--server=https://b:6443,https://a:6443/']), ['--server', 'https://a:6443,https://b:6443', '--token', 't']);
  assert.deepEqual(mergeServerFlags(['--token', 't']), ['--token', 't']);
  const config = await agentConfigFromArgs(['--server', 'https://a:6443', '--server', 'https://b:6443', '--token', 'K10abc::node:x', '--data-dir', '/tmp/h3-never-made'], {});
  assert.equal(config?.server, 'https://a:6443,https://b:6443');
});
