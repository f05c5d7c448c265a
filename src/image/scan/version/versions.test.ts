import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareApk } from './apk.js';
import { compareDebian } from './dpkg.js';
import { comparePep440 } from './pep440.js';
import { compareRpm } from './rpm.js';
import { compareSemver } from './semver.js';
import type { Compare } from './compare.js';

/** Every listed version is strictly below the next, and equal to itself. */
function ascending(cmp: Compare, list: string[]): void {
  for (let i = 0; i < list.length; i++) {
    assert.equal(cmp(list[i]!, list[i]!), 0, `${list[i]} = itself`);
    for (let j = i + 1; j < list.length; j++) {
      assert.ok(cmp(list[i]!, list[j]!) < 0, `${list[i]} < ${list[j]}`);
      assert.ok(cmp(list[j]!, list[i]!) > 0, `${list[j]} > ${list[i]}`);
    }
  }
}

describe('version order per ecosystem', () => {
  test('Debian: deb-version(7)\'s examples, tilde before the end, epochs first', () => {
    ascending(compareDebian, ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a', '1.0+dfsg', '1.0.1', '1.1']);
    ascending(compareDebian, ['3.0.11-1~deb12u1', '3.0.11-1', '3.0.11-1+deb12u1', '3.0.11-1+deb12u2', '3.0.13-1~deb12u1', '1:0.9-1']);
    ascending(compareDebian, ['2.36-9', '2.36-9+deb12u3', '2.36-10']);
    assert.equal(compareDebian('1.2-0', '1.2'), 0, 'revision 0 and no revision are equal in dpkg');
    assert.equal(compareDebian('0:1.2', '1.2'), 0, 'epoch 0 is the default');
    assert.equal(compareDebian('1.002', '1.2'), 0, 'leading zeros do not count');
  });

  test('PEP 440: the ordering example of the specification', () => {
    ascending(comparePep440, ['1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2',
      '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5',
      '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1']);
    assert.equal(comparePep440('1.0', '1.0.0'), 0, 'trailing zeros are padding');
    assert.equal(comparePep440('1.0-1', '1.0.post1'), 0, 'implicit post release');
    assert.equal(comparePep440('1.0alpha1', '1.0a1'), 0, 'alpha normalises to a');
    assert.equal(comparePep440('1.0c1', '1.0rc1'), 0, 'c normalises to rc');
    assert.equal(comparePep440('1!0.1', '2.0') > 0, true, 'epoch wins');
  });

  test('semver: the precedence example of semver.org, Go\'s v prefix', () => {
    ascending(compareSemver, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0', '2.0.0']);
    assert.equal(compareSemver('v0.3.7', '0.3.7'), 0);
    assert.equal(compareSemver('1.0.0+build.5', '1.0.0'), 0, 'build metadata does not count');
    ascending(compareSemver, ['v0.0.0-20210101000000-abcdef123456', 'v0.1.0']);
  });

  test('Alpine: revisions, letters, pre- and post-release suffixes', () => {
    ascending(compareApk, ['1.2.3_alpha1', '1.2.3_beta2', '1.2.3_rc1', '1.2.3', '1.2.3-r1', '1.2.3-r10', '1.2.3_p1', '1.2.3a', '1.2.4', '1.10']);
    ascending(compareApk, ['3.1.4-r5', '3.1.4-r6', '3.1.5-r0']);
    ascending(compareApk, ['1.01', '1.1']);
  });

  test('RPM: rpmvercmp\'s tilde and caret, numbers above letters', () => {
    ascending(compareRpm, ['1.0~rc1-1', '1.0-1', '1.0^git1-1', '1.0.1-1', '1:0.5-1']);
    ascending(compareRpm, ['1.0a', '1.0.1']);
    assert.equal(compareRpm('1.01-1', '1.1-1'), 0);
    ascending(compareRpm, ['2.28-225.el9', '2.28-225.el9_3.1', '2.28-236.el9']);
  });
});
