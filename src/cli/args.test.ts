import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, formatHelp, type CommandSpec } from './args.js';
import { UsageError } from './errors.js';

const dockerLike: CommandSpec = {
  name: 'run', usage: 'run IMAGE', summary: 's', style: 'docker', interspersed: false,
  flags: [
    { name: 'detach', short: 'd', type: 'bool', help: '' },
    { name: 'interactive', short: 'i', type: 'bool', help: '' },
    { name: 'tty', short: 't', type: 'bool', help: '' },
    { name: 'rm', type: 'bool', help: '' },
    { name: 'env', short: 'e', type: 'list', help: '' },
    { name: 'name', type: 'string', help: '' },
    { name: 'hostname', short: 'h', type: 'string', help: '' },
    { name: 'stop-timeout', type: 'int', help: '' },
  ],
};
const kubeLike: CommandSpec = { ...dockerLike, name: 'get', style: 'kubectl', interspersed: true, flags: [{ name: 'output', short: 'o', type: 'string', help: '' }, { name: 'watch', short: 'w', type: 'bool', help: '' }] };

describe('parseArgs', () => {
  test('combined short booleans (-dit) set each flag', () => {
    const p = parseArgs(dockerLike, ['-dit', 'busybox']);
    assert.equal(p.bool('detach'), true);
    assert.equal(p.bool('interactive'), true);
    assert.equal(p.bool('tty'), true);
    assert.deepEqual(p.args, ['busybox']);
  });

  test('a valued short flag at the end of a group takes the next argument or the rest of the group', () => {
    assert.deepEqual(parseArgs(dockerLike, ['-de', 'A=1', 'img']).list('env'), ['A=1']);
    assert.deepEqual(parseArgs(dockerLike, ['-eA=1', 'img']).list('env'), ['A=1']);
    assert.deepEqual(parseArgs(dockerLike, ['-e=A=1', 'img']).list('env'), ['A=1']);
  });

  test('--flag=value, --flag value and repeated list flags', () => {
    const p = parseArgs(dockerLike, ['--name=web', '-e', 'A=1', '--env', 'B=2', '--env=C=3', 'img']);
    assert.equal(p.str('name'), 'web');
    assert.deepEqual(p.list('env'), ['A=1', 'B=2', 'C=3']);
  });

  test('flags after IMAGE belong to the command', () => {
    const p = parseArgs(dockerLike, ['--rm', 'busybox', 'ls', '-l', '--rm', '-d']);
    assert.equal(p.bool('rm'), true);
    assert.equal(p.bool('detach'), false);
    assert.deepEqual(p.args, ['busybox', 'ls', '-l', '--rm', '-d']);
  });

  test('-- ends the flags', () => {
    const p = parseArgs(kubeLike, ['-o', 'json', '--', '-w', 'x']);
    assert.equal(p.str('output'), 'json');
    assert.equal(p.bool('watch'), false);
    assert.deepEqual(p.args, ['-w', 'x']);
  });

  test('kubectl-style verbs take flags anywhere', () => {
    const p = parseArgs(kubeLike, ['pods', '-o', 'wide', 'web', '-w']);
    assert.deepEqual(p.args, ['pods', 'web']);
    assert.equal(p.str('output'), 'wide');
    assert.equal(p.bool('watch'), true);
  });

  test('booleans accept =true/=false', () => {
    assert.equal(parseArgs(dockerLike, ['--rm=false', 'img']).bool('rm'), false);
    assert.equal(parseArgs(dockerLike, ['--rm=true', 'img']).bool('rm'), true);
    assert.equal(parseArgs(dockerLike, ['-d=false', 'img']).bool('detach'), false);
    assert.throws(() => parseArgs(dockerLike, ['--rm=maybe', 'img']), /invalid argument "maybe" for "--rm" flag/);
  });

  test('integers are checked', () => {
    assert.equal(parseArgs(dockerLike, ['--stop-timeout', '5', 'img']).int('stop-timeout'), 5);
    assert.throws(() => parseArgs(dockerLike, ['--stop-timeout', 'soon', 'img']), /invalid argument "soon" for "--stop-timeout" flag: expected an integer/);
  });

  test('unknown flags are named', () => {
    assert.throws(() => parseArgs(dockerLike, ['--foo', 'img']), (e: unknown) => e instanceof UsageError && e.message === 'unknown flag: --foo');
    assert.throws(() => parseArgs(dockerLike, ['-dx', 'img']), /unknown shorthand flag: 'x' in -dx/);
  });

  test('a missing flag value is reported', () => {
    assert.throws(() => parseArgs(dockerLike, ['--name']), /flag needs an argument: --name/);
    assert.throws(() => parseArgs(dockerLike, ['-e']), /flag needs an argument: 'e' in -e/);
  });

  test('-h is --help unless the verb uses it (run -h is --hostname)', () => {
    assert.equal(parseArgs(dockerLike, ['-h', 'box', 'img']).str('hostname'), 'box');
    assert.equal(parseArgs(kubeLike, ['-h']).bool('help'), true);
    assert.equal(parseArgs(dockerLike, ['--help']).bool('help'), true);
  });

  test('global --server/--token are accepted by every verb', () => {
    const p = parseArgs(kubeLike, ['pods', '--server', 'http://x:1', '--token=t']);
    assert.equal(p.str('server'), 'http://x:1');
    assert.equal(p.str('token'), 't');
  });

  test('"-" alone is an argument (stdin)', () => {
    assert.deepEqual(parseArgs(kubeLike, ['-']).args, ['-']);
  });

  test('help lists every flag with its shorthand', () => {
    const text = formatHelp(dockerLike);
    assert.match(text, /Usage: {2}lcctl run IMAGE/);
    assert.match(text, /-e, --env list/);
    assert.match(text, /--rm/);
  });
});
