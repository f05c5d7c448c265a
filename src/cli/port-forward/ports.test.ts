import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listenAddresses, parsePortPair, podName } from './ports.js';

test('port pairs take kubectl\'s forms; 0 or an empty local part picks a free port', () => {
  assert.deepEqual(parsePortPair('8080'), { local: 8080, remote: 8080 });
  assert.deepEqual(parsePortPair('9000:80'), { local: 9000, remote: 80 });
  assert.deepEqual(parsePortPair(':80'), { local: 0, remote: 80 });
  assert.deepEqual(parsePortPair('0:80'), { local: 0, remote: 80 });
  for (const bad of ['0', 'http', '1:2:3', '80:', '70000', '8080:0']) assert.throws(() => parsePortPair(bad), /invalid/, bad);
});

test('the pod is NAME or pod/NAME; other kinds are refused', () => {
  assert.equal(podName('web'), 'web');
  assert.equal(podName('pod/web'), 'web');
  assert.equal(podName('pods/web'), 'web');
  assert.throws(() => podName('svc/web'), /pods only/);
});

test('--address defaults to 127.0.0.1 and takes a list', () => {
  assert.deepEqual(listenAddresses(undefined), ['127.0.0.1']);
  assert.deepEqual(listenAddresses('localhost,0.0.0.0'), ['127.0.0.1', '0.0.0.0']);
});
