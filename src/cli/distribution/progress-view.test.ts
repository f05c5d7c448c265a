import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ProgressView } from './progress-view.js';

const a = `sha256:${'a'.repeat(64)}`;
const b = `sha256:${'b'.repeat(64)}`;

function render(tty: boolean): string {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => { text += d.toString(); });
  const view = new ProgressView(out, tty);
  view.update({ status: 'Pulling from lt/app' });
  view.update({ layer: a, status: 'Waiting', current: 0, total: 100 });
  view.update({ layer: b, status: 'Waiting', current: 0, total: 100 });
  view.update({ layer: a, status: 'Downloading', current: 50, total: 100 });
  view.update({ layer: a, status: 'Downloading', current: 60, total: 100 });
  view.update({ layer: b, status: 'Download complete', current: 100, total: 100 });
  return text;
}

describe('pull progress display', () => {
  test('on a terminal each layer keeps its own line, redrawn in place with a bar', () => {
    const text = render(true);
    assert.ok(text.startsWith(`Pulling from lt/app\naaaaaaaaaaaa: Waiting\nbbbbbbbbbbbb: Waiting\n`));
    // layer a is two lines above the cursor, layer b one.
    assert.match(text, /\x1b\[2A\r\x1b\[2Kaaaaaaaaaaaa: Downloading  \[=+>\s+\]  50B\/100B\x1b\[2B\r/);
    assert.match(text, /\x1b\[1A\r\x1b\[2Kbbbbbbbbbbbb: Download complete\x1b\[1B\r$/);
  });

  test('otherwise one plain line per change of status, not per byte', () => {
    assert.equal(render(false), [
      'Pulling from lt/app', 'aaaaaaaaaaaa: Waiting', 'bbbbbbbbbbbb: Waiting', 'aaaaaaaaaaaa: Downloading', 'bbbbbbbbbbbb: Download complete', '',
    ].join('\n'));
  });
});
