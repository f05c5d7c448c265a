import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Annotations as api } from '../api/pod.js';
import { Annotations as cli } from './annotations.js';

test('the CLI copy of the pod annotations matches the API', () => {
  assert.deepEqual({ ...cli }, { ...api });
});
