/**
 * Durability end to end: a child process writes a burst of concurrent creates and acknowledges each on
 * stdout only after its promise resolved; we SIGKILL it mid-burst, reopen the store and check that
 * every acknowledged key is there with its whole value, nothing is torn, and the revision carries on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { StateStore } from '../src/store/types.js';
import { crashValue } from './fixtures/store-values.js';

const WRITER = fileURLToPath(new URL('./fixtures/store-writer.js', import.meta.url));

/** Acks to wait for before the kill, per round: early, mid and deep into the burst. */
const KILL_AFTER = [1, 150, 700, 2000, 333];

interface RunResult { acked: string[]; signal: NodeJS.Signals | null; stderr: string }

/** Runs one writer until killAfter acks were read, then SIGKILLs it and collects every ack it sent. */
function runWriter(path: string, round: number, killAfter: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [WRITER, path, String(round), '32'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let partial = '';
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000); // never hang the suite
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? ''; // an unterminated tail is not a complete ack
      acked.push(...lines);
      if (acked.length >= killAfter && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', (err) => { clearTimeout(guard); reject(err); });
    child.on('close', (_code, signal) => { clearTimeout(guard); resolve({ acked, signal, stderr }); });
  });
}

/** Revisions a watch from `from` delivers up to and including `to`. */
function replayFrom(store: StateStore, from: number, to: number): Promise<number[]> {
  return new Promise((resolve) => {
    const revs: number[] = [];
    const w = store.watch('/', from, (e) => {
      revs.push(e.revision);
      if (e.revision >= to) { w.cancel(); resolve(revs); }
    });
  });
}

test('acknowledged writes survive SIGKILL mid-burst, whole, and the store keeps going', { timeout: 600_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-store-crash-'));
  const path = join(dir, 'state.db');
  const acked: string[] = [];
  try {
    for (const [round, killAfter] of KILL_AFTER.entries()) {
      const run = await runWriter(path, round, killAfter);
      assert.equal(run.signal, 'SIGKILL', `writer round ${round} should have been killed mid-burst; stderr: ${run.stderr}`);
      assert.ok(run.acked.length >= killAfter, `round ${round}: ${run.acked.length} acks before the kill`);
      acked.push(...run.acked);

      const store = await openSqliteStore(path);
      try {
        for (const key of acked) {
          const kv = await store.get(key);
          assert.ok(kv, `acknowledged key ${key} is missing after the crash`);
          assert.equal(kv.value, crashValue(key, Number(key.split('/').pop())), `value of ${key} is not whole`);
        }
        // Unacknowledged writes may or may not have landed, but none may be torn.
        const all = await store.list('/');
        for (const kv of all.items) {
          const parsed: unknown = JSON.parse(kv.value); // a torn value would not parse
          assert.ok(typeof parsed === 'object' && parsed !== null && 'i' in parsed && typeof parsed.i === 'number',
            `${kv.key} holds ${kv.value.slice(0, 80)}`);
          if (kv.key.startsWith('/crash/')) assert.equal(kv.value, crashValue(kv.key, parsed.i), `value of ${kv.key}`);
          assert.equal(kv.modRevision, kv.createRevision, 'only creates ever happened');
        }
        // Only creates ever happened, so the revision must equal the number of keys, with no holes.
        const revision = await store.currentRevision();
        assert.equal(all.revision, revision);
        assert.equal(revision, all.items.length);
        assert.deepEqual(all.items.map((kv) => kv.modRevision).sort((a, b) => a - b),
          Array.from({ length: revision }, (_, i) => i + 1));
        // The log committed with the kv rows: replaying it yields every revision after 1 exactly once.
        if (revision > 1) {
          const expected = Array.from({ length: revision - 1 }, (_, i) => i + 2);
          assert.deepEqual(await replayFrom(store, 1, revision), expected);
        }
        const marker = await store.create(`/marker/${round}`, JSON.stringify({ i: round }));
        assert.equal(marker.modRevision, revision + 1, 'the reopened store continues the revision sequence');
      } finally {
        await store.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
