import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { warningPrinter } from './warnings.js';

const sink = (isTTY: boolean) => { const lines: string[] = []; return { lines, stream: { isTTY, write: (s: string) => lines.push(s) } }; };

describe('warning printer', () => {
  test('plain `Warning: text` lines off a terminal, each text once', () => {
    const { lines, stream } = sink(false);
    const print = warningPrinter(stream, {});
    print('would violate PodSecurity "restricted:latest": x');
    print('would violate PodSecurity "restricted:latest": x');
    print('other');
    assert.deepEqual(lines, ['Warning: would violate PodSecurity "restricted:latest": x\n', 'Warning: other\n']);
  });
  test('yellow on a terminal unless NO_COLOR', () => {
    const tty = sink(true);
    warningPrinter(tty.stream, {})('w');
    assert.deepEqual(tty.lines, ['\x1b[33mWarning:\x1b[0m w\n']);
    const nc = sink(true);
    warningPrinter(nc.stream, { NO_COLOR: '1' })('w');
    assert.deepEqual(nc.lines, ['Warning: w\n']);
  });
});
