import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerIgnore } from './dockerignore.js';

describe('.dockerignore', () => {
  test('patterns, directories, ** and exceptions (last match wins)', () => {
    const ig = DockerIgnore.parse([
      '# comment',
      'node_modules',
      '*.log',
      '**/*.tmp',
      'docs/*.md',
      '!docs/README.md',
      '/build/',
      'secret?.txt',
      '',
    ].join('\n'));
    assert.equal(ig.excludes('node_modules'), true);
    assert.equal(ig.excludes('node_modules/x/y.js'), true);
    assert.equal(ig.excludes('app.log'), true);
    assert.equal(ig.excludes('sub/app.log'), false, '* does not cross directories');
    assert.equal(ig.excludes('a/b/c.tmp'), true);
    assert.equal(ig.excludes('c.tmp'), true);
    assert.equal(ig.excludes('docs/guide.md'), true);
    assert.equal(ig.excludes('docs/README.md'), false);
    assert.equal(ig.excludes('build/out.bin'), true);
    assert.equal(ig.excludes('secret1.txt'), true);
    assert.equal(ig.excludes('secret12.txt'), false);
    assert.equal(ig.excludes('src/main.ts'), false);
    assert.equal(ig.excludes('./app.log'), true);
    assert.equal(ig.mayReinclude(), true);
  });

  test('an exception re-includes a file under an excluded directory', () => {
    const ig = DockerIgnore.parse('data\n!data/keep.txt\n');
    assert.equal(ig.excludes('data/drop.txt'), true);
    assert.equal(ig.excludes('data/keep.txt'), false);
  });
});
