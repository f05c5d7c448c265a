import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ImagePasses } from './image-passes.js';

test('admitted images survive a restart of the agent (a new instance reads the file), and a policy change forgets them', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-passes-'));
  try {
    const key = 'registry.local/app@sha256:' + 'a'.repeat(64);
    const first = new ImagePasses(dir);
    assert.equal(await first.passed(key), false, 'nothing is admitted before the policy hook says so');
    await first.add(key);
    const afterReboot = new ImagePasses(dir);
    assert.equal(await afterReboot.passed(key), true);
    assert.equal(await afterReboot.passed('registry.local/other@sha256:' + 'a'.repeat(64)), false, 'the same digest in another repository is another image');
    await afterReboot.clear();
    assert.equal(await new ImagePasses(dir).passed(key), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
