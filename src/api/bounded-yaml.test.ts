import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { BoundedParseError } from './bounded-parse.js';
import { parseYamlBounded } from './bounded-yaml.js';

const refused = (pattern: RegExp) => (e: unknown): boolean => e instanceof BoundedParseError && pattern.test(e.message);
const tooDeep = refused(/^request body nests deeper than 100 levels/);

test('50,000 nested [ (100 KB) are refused before the parser recurses, every time (it used to kill the process)', async () => {
  for (let i = 0; i < 3; i++) {
    await assert.rejects(parseYamlBounded('['.repeat(50_000) + ']'.repeat(50_000), 'request body'), tooDeep);
    await assert.rejects(parseYamlBounded('['.repeat(100_000), 'request body'), tooDeep);
    await assert.rejects(parseYamlBounded('a: ' + '{b: '.repeat(50_000), 'request body'), tooDeep);
  }
});

test('deep block nesting is refused too: dashes, indentation, and many compact levels per line', async () => {
  await assert.rejects(parseYamlBounded('- '.repeat(50_000) + 'x', 'request body'), tooDeep);
  let stairs = '';
  for (let i = 0; i < 2000; i++) stairs += `${' '.repeat(i)}k:\n`;
  await assert.rejects(parseYamlBounded(stairs, 'request body'), tooDeep);
  // 10 lines of 20 levels each (200 in all): each line alone looks shallow.
  let compact = '';
  for (let i = 0; i < 10; i++) compact += `${' '.repeat(40 * i)}${'- '.repeat(19)}k:\n`;
  await assert.rejects(parseYamlBounded(compact, 'request body'), tooDeep);
});

test('nesting up to 100 levels parses in every style; 101 is refused (seeded random shapes)', async () => {
  let state = 20240611;
  const rand = (): number => { state = (state * 1103515245 + 12345) >>> 0; return state / 2 ** 32; };
  const scalars: unknown[] = [1, 0.5, true, null, 'a', 'x: y', '- z', '[', '{', '#c', "it's", '"q"', 'multi\nline', '| >', ''];
  const leaf = (): unknown => scalars[Math.floor(rand() * scalars.length)];
  // One deep spine with shallow siblings, so the text stays small.
  const shape = (depth: number): unknown => {
    if (depth === 0) return leaf();
    const others = Array.from({ length: Math.floor(rand() * 3) }, () => (rand() < 0.5 ? leaf() : [leaf()]));
    if (rand() < 0.5) return [shape(depth - 1), ...others];
    return Object.fromEntries([['k', shape(depth - 1)], ...others.map((o, i) => [`o${i}`, o])]);
  };
  for (const depth of [1, 5, 17, 40, 63, 99, 100, 101, 140]) {
    for (let round = 0; round < 4; round++) {
      const value = shape(depth);
      for (const text of [stringify(value, { collectionStyle: 'block' }), stringify(value, { collectionStyle: 'flow' }), JSON.stringify(value)]) {
        if (depth <= 100) assert.deepEqual(await parseYamlBounded(text), value, text.slice(0, 200));
        else await assert.rejects(parseYamlBounded(text, 'request body'), tooDeep);
      }
    }
  }
});

test('text inside block scalars, quotes and comments is not structure', async () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: scripts}   # [[[[ {{{{',
    'data:',
    '  run.sh: |',
    `    ${'[ '.repeat(500)}`,
    '    if [ -f x ]; then { echo "}"; }; fi',
    `  quoted: "${'['.repeat(300)}"`,
    `  single: '${'{'.repeat(300)}'`,
  ].join('\n');
  const got = await parseYamlBounded(text) as { data: Record<string, string> };
  assert.equal(got.data.quoted, '['.repeat(300));
  assert.match(got.data['run.sh']!, /^(\[ ){500}/);
});

test('more than one document, too many aliases, alias bombs and huge bodies are refused with what to do', async () => {
  await assert.rejects(parseYamlBounded('a: 1\n---\nb: 2\n', 'request body'), refused(/holds more than 1 YAML document$/));
  await assert.rejects(parseYamlBounded('a: &x [1]\nb: [' + '*x, '.repeat(101) + ']', 'request body'), refused(/holds more than 100 YAML aliases/));
  // Each level doubles: 30 levels would be a billion values once written out.
  let bomb = 'l0: &l0 [x, x]\n';
  for (let i = 1; i < 30; i++) bomb += `l${i}: &l${i} [*l${i - 1}, *l${i - 1}]\n`;
  await assert.rejects(parseYamlBounded(bomb, 'request body'), /resource exhaustion|expands to more than/);
  // 200,000 keys: the yaml package's own duplicate check is quadratic (minutes); the bound stops it.
  const keys = Array.from({ length: 200_000 }, (_, i) => `k${i}: v`).join('\n');
  await assert.rejects(parseYamlBounded(keys, 'request body'), refused(/holds more than 50000 YAML tokens \(send it as JSON, or split it\)/));
  // Aliases within the bounds still work, as Kubernetes manifests use them.
  assert.deepEqual(await parseYamlBounded('env: &e [{name: A, value: "1"}]\nalso: *e\n'), { env: [{ name: 'A', value: '1' }], also: [{ name: 'A', value: '1' }] });
});

test('duplicate keys are still an error (checked in one pass), and syntax errors keep the parser\'s message', async () => {
  await assert.rejects(parseYamlBounded('a: 1\nb: 2\na: 3\n'), /map keys must be unique: "a" is defined twice/);
  const many = Array.from({ length: 5000 }, (_, i) => `k${i}: v`).join('\n');
  assert.equal(Object.keys(await parseYamlBounded(many) as object).length, 5000);
  await assert.rejects(parseYamlBounded('a: [1, 2\n'), (e: unknown) => e instanceof Error && !(e instanceof BoundedParseError) && /flow sequence/i.test(e.message));
});
