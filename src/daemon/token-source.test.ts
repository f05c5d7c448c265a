import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tokenFrom } from './token-source.js';
import { FlagError } from './flags.js';

describe('where lanternd agent and sim read their token', () => {
  test('--token-file FILE (trimmed), else --token, else LANTERN_TOKEN', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lantern-token-'));
    try {
      const file = path.join(dir, 'token');
      await writeFile(file, 'K10abc::node:from-file\n');
      assert.equal(await tokenFrom({ 'token-file': file }, { LANTERN_TOKEN: 'from-env' }), 'K10abc::node:from-file');
      assert.equal(await tokenFrom({ token: 'from-flag' }, { LANTERN_TOKEN: 'from-env' }), 'from-flag');
      assert.equal(await tokenFrom({}, { LANTERN_TOKEN: ' from-env\n' }), 'from-env');
      assert.equal(await tokenFrom({}, {}), undefined);
      await writeFile(file, '\n');
      await assert.rejects(tokenFrom({ 'token-file': file }, {}), (e: unknown) => e instanceof FlagError && /is empty/.test(e.message));
      await assert.rejects(tokenFrom({ 'token-file': path.join(dir, 'missing') }, {}), /no such file/);
      await assert.rejects(tokenFrom({ 'token-file': file, token: 'x' }, {}), /--token or --token-file, not both/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
