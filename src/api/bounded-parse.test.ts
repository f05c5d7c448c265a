import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedParseError, expandedProblem, jsonNestingProblem, maxNestingDepth, parseJsonBounded } from './bounded-parse.js';

const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);

test('JSON nested up to the bound parses; one level more is refused before parsing, saying where', () => {
  assert.equal(maxNestingDepth, 100);
  assert.deepEqual(parseJsonBounded(nested(2)), [[]]);
  assert.equal(JSON.stringify(parseJsonBounded(nested(100))), nested(100));
  assert.throws(() => parseJsonBounded(nested(101), 'request body'), (e: unknown) =>
    e instanceof BoundedParseError && e.message === 'request body nests deeper than 100 levels (at offset 100)');
  // A million levels (2 MB): refused at the 101st bracket, so nothing downstream ever recurses into it.
  assert.throws(() => parseJsonBounded(nested(1_000_000)), BoundedParseError);
  assert.throws(() => parseJsonBounded('{"a":'.repeat(200) + '1' + '}'.repeat(200)), /nests deeper than 100 levels/);
});

test('brackets inside strings, escaped quotes included, are not nesting', () => {
  const text = JSON.stringify({ a: '['.repeat(500), b: '\\"{{{{', c: ['"[', '\\'] });
  assert.equal(jsonNestingProblem(text), undefined);
  assert.deepEqual(parseJsonBounded(text), JSON.parse(text));
});

test('text that is not JSON stays a SyntaxError, as JSON.parse reports it', () => {
  assert.throws(() => parseJsonBounded('{"a": '), SyntaxError);
  assert.throws(() => parseJsonBounded('nope'), SyntaxError);
});

test('expandedProblem counts a shared part each time it occurs, as JSON.stringify writes it', () => {
  const leaf = Array.from({ length: 1000 }, () => 1);
  const shared = { a: leaf, b: leaf, c: leaf };
  assert.equal(expandedProblem(shared, 100, 10_000), undefined);
  assert.equal(expandedProblem({ x: shared, y: shared, z: shared, w: shared }, 100, 10_000), 'expands to more than 10000 values');
  let deep: unknown = 1;
  for (let i = 0; i < 101; i++) deep = [deep];
  assert.equal(expandedProblem(deep), 'nests deeper than 100 levels');
  assert.equal(expandedProblem((deep as unknown[])[0]), undefined);
});
