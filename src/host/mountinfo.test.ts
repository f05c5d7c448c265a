import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLowerDirs, parseMountPoints } from './mountinfo.js';

describe('mountinfo', () => {
  test('mountinfo lower dirs are read from overlay super options, escapes decoded', () => {
    const info = [
      '36 25 0:32 / /run/a rw,relatime shared:1 - overlay overlay rw,lowerdir=/s/aa/fs:/s/b\\040c/fs,upperdir=/u,workdir=/w',
      '37 25 0:33 / /run/b rw shared:2 - overlay overlay rw,lowerdir=dd/fs:ee/fs',
      '38 25 8:1 / / rw - ext4 /dev/vda rw',
    ].join('\n');
    assert.deepEqual([...parseLowerDirs(info)].sort(), ['/s/aa/fs', '/s/b c/fs', 'dd/fs', 'ee/fs']);
  });

  test('mount points are the fifth field, escapes decoded, in mount order', () => {
    const info = '22 1 8:1 / / rw - ext4 /dev/vda rw\n36 22 0:32 / /run/a\\040b rw - tmpfs tmpfs rw\n';
    assert.deepEqual(parseMountPoints(info), ['/', '/run/a b']);
  });
});
