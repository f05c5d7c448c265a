import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { completionModel, flagWords, type CompletionModel } from './model.js';
import { bashScript } from './bash.js';
import { zshScript } from './zsh.js';
import { fishScript } from './fish.js';
import { verbs, mainHelp } from '../verbs.js';
import { kindModules } from '../../api/kinds/index.js';

/** Run a shell's syntax check (-n) on a script; the shell's stderr on failure. */
function parses(shell: string, script: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'c2-completion-'));
  try {
    const file = path.join(dir, 'script');
    writeFileSync(file, script);
    const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return r.status === 0 ? '' : `${shell} -n exited ${String(r.status)}: ${r.stderr}`;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

describe('lcctl completion scripts', () => {
  let m: CompletionModel;
  before(async () => { m = await completionModel(); });

  test('the model has every user verb, and not the hidden helper', () => {
    const shown = Object.keys(verbs).filter((v) => !v.startsWith('__'));
    assert.deepEqual(m.verbs.map((v) => v.name), shown);
    assert.ok(Object.hasOwn(verbs, '__complete'));
    assert.doesNotMatch(mainHelp(), /__complete/);
    assert.match(mainHelp(), /completion/);
  });

  test('every verb and every long and short flag of each verb appears in the bash and zsh scripts', () => {
    for (const script of [bashScript(m), zshScript(m)]) {
      for (const v of m.verbs) {
        const arm = new RegExp(`^    ${v.name.replace(/-/g, '\\-')}\\) echo '([^']*)';;$`, 'm').exec(script);
        assert.ok(arm, `no flag list for ${v.name}`);
        const words = new Set(arm[1]!.split(' '));
        for (const f of v.flags) {
          assert.ok(words.has(`--${f.name}`), `${v.name}: --${f.name} missing`);
          if (f.short !== undefined) assert.ok(words.has(`-${f.short}`), `${v.name}: -${f.short} missing`);
        }
      }
      assert.match(script, new RegExp(`_lcctl_verbs='${m.verbs.map((v) => v.name).join(' ')}'`));
    }
  });

  test('every kind\'s name is offered after get, describe and delete', () => {
    const kinds = /_lcctl_kinds='([^']*)'/.exec(bashScript(m))?.[1]?.split(' ');
    assert.deepEqual(kinds, kindModules.map((k) => k.resource));
    assert.match(bashScript(m), /^ {4}get\) echo kinds;;$/m);
    assert.match(bashScript(m), /^ {4}logs\) echo pod;;$/m);
  });

  test('every verb (with its summary) and every flag appears in the fish script', () => {
    const fish = fishScript(m);
    for (const v of m.verbs) {
      assert.ok(fish.includes(`-n __fish_use_subcommand -a '${v.name}' -d `), `fish: verb ${v.name}`);
      for (const f of v.flags) {
        const line = fish.split('\n').find((l) => l.startsWith(`complete -c lcctl -n '__fish_seen_subcommand_from ${v.name}' -l ${f.name}`));
        assert.ok(line, `fish: ${v.name} --${f.name}`);
        if (f.short !== undefined) assert.ok(line.includes(` -s ${f.short}`), `fish: ${v.name} -${f.short}`);
      }
    }
  });

  test('flagWords lists long and short names, and only value-taking ones when asked', () => {
    const flags = [{ name: 'all', short: 'a', type: 'bool' as const, help: '' }, { name: 'output', short: 'o', type: 'string' as const, help: '' }];
    assert.deepEqual(flagWords(flags), ['--all', '-a', '--output', '-o']);
    assert.deepEqual(flagWords(flags, true), ['--output', '-o']);
  });

  test('bash, zsh and fish accept the scripts (-n)', () => {
    assert.equal(parses('bash', bashScript(m)), '');
    assert.equal(parses('zsh', zshScript(m)), '');
    assert.equal(parses('fish', fishScript(m)), '');
  });
});
