import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { LogOptions } from '../../api/node-services.js';
import { exists, parseLogLine, readContainerLog } from './log-reader.js';

const T1 = '2024-05-01T12:00:01.123456789Z';
const T2 = '2024-05-01T12:00:02.000000000Z';
const T3 = '2024-05-01T12:00:03.5Z';
const line = (time: string, stream: 'stdout' | 'stderr', tag: 'F' | 'P', text: string): string => `${time} ${stream} ${tag} ${text}\n`;

/** Collects a stream's text; `until` resolves once the text so far satisfies a predicate. */
function collect(stream: Readable): { text: () => string; until: (ok: (t: string) => boolean) => Promise<void>; ended: Promise<string> } {
  let text = '';
  const waiters: { ok: (t: string) => boolean; resolve: () => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) if (w.ok(text)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };
  const ended = new Promise<string>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); check(); });
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
  return {
    text: () => text,
    until: (ok) => new Promise<void>((resolve) => { waiters.push({ ok, resolve }); check(); }),
    ended,
  };
}

describe('parseLogLine', () => {
  const cases: [string, ReturnType<typeof parseLogLine>][] = [
    [`${T1} stdout F hello world`, { time: T1, stream: 'stdout', partial: false, text: 'hello world' }],
    [`${T1} stderr F oops`, { time: T1, stream: 'stderr', partial: false, text: 'oops' }],
    [`${T1} stdout P part`, { time: T1, stream: 'stdout', partial: true, text: 'part' }],
    [`${T1} stdout F   spaces kept  `, { time: T1, stream: 'stdout', partial: false, text: '  spaces kept  ' }],
    [`${T1} stdout F `, { time: T1, stream: 'stdout', partial: false, text: '' }],
    [`${T1} stdout F`, { time: T1, stream: 'stdout', partial: false, text: '' }],
    [`${T1} stdin F x`, undefined],
    ['garbage', undefined],
    ['', undefined],
    [`${T1} stdout`, undefined],
  ];
  for (const [raw, want] of cases) test(JSON.stringify(raw), () => assert.deepEqual(parseLogLine(raw), want));
});

describe('readContainerLog', () => {
  let dir: string;
  let n = 0;
  const never = async (): Promise<boolean> => false;
  const limit = { timeout: 10_000 }; // a follow that never ends fails instead of hanging
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'lantern-log-reader-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  async function logFile(content: string): Promise<string> {
    const path = join(dir, `c${n++}.log`);
    await writeFile(path, content);
    return path;
  }
  async function read(content: string, opts: LogOptions): Promise<string> {
    return collect(readContainerLog(await logFile(content), opts, never, new AbortController().signal)).ended;
  }

  const sample = line(T1, 'stdout', 'F', 'one') + line(T2, 'stderr', 'F', 'two') + line(T2, 'stdout', 'P', 'thr') + line(T3, 'stdout', 'F', 'ee') + line(T3, 'stderr', 'F', 'four');

  const cases: [string, LogOptions, string][] = [
    ['a full read joins partial lines', {}, 'one\ntwo\nthree\nfour\n'],
    ['tailLines counts whole lines from the end', { tailLines: 2 }, 'three\nfour\n'],
    ['tailLines keeps the partial pieces of the first line it keeps', { tailLines: 3 }, 'two\nthree\nfour\n'],
    ['tailLines larger than the log gives everything', { tailLines: 100 }, 'one\ntwo\nthree\nfour\n'],
    ['tailLines 0 gives nothing', { tailLines: 0 }, ''],
    ['timestamps prefix each line with the time of its last piece', { timestamps: true }, `${T1} one\n${T2} two\n${T3} three\n${T3} four\n`],
    ['stream Stdout', { stream: 'Stdout' }, 'one\nthree\n'],
    ['stream Stderr', { stream: 'Stderr' }, 'two\nfour\n'],
    ['stream All', { stream: 'All' }, 'one\ntwo\nthree\nfour\n'],
    ['tail counts only the chosen stream', { stream: 'Stdout', tailLines: 1 }, 'three\n'],
  ];
  for (const [what, opts, want] of cases) test(what, async () => assert.equal(await read(sample, opts), want));

  test('partial lines of stdout and stderr are joined separately', async () => {
    const content = line(T1, 'stdout', 'P', 'a') + line(T1, 'stderr', 'P', 'x') + line(T1, 'stdout', 'P', 'b') + line(T2, 'stderr', 'F', 'y') + line(T2, 'stdout', 'F', 'c');
    assert.equal(await read(content, {}), 'xy\nabc\n');
  });

  test('timestamps are shown in UTC with Z, as Docker and kubectl print them (conmon writes +00:00)', async () => {
    const content = line('2024-05-01T12:00:01.123456789+00:00', 'stdout', 'F', 'one');
    assert.equal(await read(content, { timestamps: true }), '2024-05-01T12:00:01.123456789Z one\n');
  });

  test('malformed lines are skipped', async () => {
    assert.equal(await read(`not a log line\n${line(T1, 'stdout', 'F', 'ok')}\n`, {}), 'ok\n');
  });

  test('sinceSeconds drops older lines', async () => {
    const content = line('2000-01-01T00:00:00.000000000Z', 'stdout', 'F', 'old') + line('2999-01-01T00:00:00.000000000Z', 'stdout', 'F', 'new');
    assert.equal(await read(content, { sinceSeconds: 3600 }), 'new\n');
  });

  test('a missing log file reads as empty', async () => {
    const out = collect(readContainerLog(join(dir, 'missing.log'), {}, never, new AbortController().signal));
    assert.equal(await out.ended, '');
  });

  test('a missing log file with follow ends once the container is done', limit, async () => {
    const out = collect(readContainerLog(join(dir, 'never-written.log'), { follow: true }, async () => true, new AbortController().signal));
    assert.equal(await out.ended, '');
  });

  test('follow streams appended lines and ends once isDone() is true', limit, async () => {
    const path = await logFile(line(T1, 'stdout', 'F', 'first'));
    let done = false;
    const out = collect(readContainerLog(path, { follow: true }, async () => done, new AbortController().signal));
    await out.until((t) => t === 'first\n');
    appendFileSync(path, line(T2, 'stdout', 'P', 'sec') + line(T2, 'stdout', 'F', 'ond'));
    await out.until((t) => t.includes('second\n'));
    appendFileSync(path, line(T3, 'stderr', 'F', 'third'));
    await out.until((t) => t.includes('third\n'));
    done = true;
    assert.equal(await out.ended, 'first\nsecond\nthird\n');
  });

  test('follow keeps the lines written just before the container finished', limit, async () => {
    const path = await logFile(line(T1, 'stdout', 'F', 'start'));
    let armed = false;
    // The container writes its last words and exits between two polls: isDone sees it exited.
    const isDone = async (): Promise<boolean> => {
      if (!armed) return false;
      appendFileSync(path, line(T2, 'stdout', 'F', 'last words'));
      return true;
    };
    const out = collect(readContainerLog(path, { follow: true, tailLines: 1 }, isDone, new AbortController().signal));
    await out.until((t) => t === 'start\n');
    armed = true;
    assert.equal(await out.ended, 'start\nlast words\n');
  });

  test('follow ends when the reader aborts', limit, async () => {
    const path = await logFile(line(T1, 'stdout', 'F', 'running'));
    const abort = new AbortController();
    const out = collect(readContainerLog(path, { follow: true }, never, abort.signal));
    await out.until((t) => t === 'running\n');
    abort.abort();
    assert.equal(await out.ended, 'running\n');
  });

  test('exists tells whether a previous log is there', async () => {
    assert.equal(await exists(await logFile('')), true);
    assert.equal(await exists(join(dir, 'nope.log')), false);
  });
});
