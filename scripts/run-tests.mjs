// Runs every compiled test once, in one node:test run so its closing summary counts them all.
// Unit tests live beside the code (dist/src/**/*.test.js); end-to-end tests in dist/test/.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filter = process.argv[2];
const files = [...find('dist/src'), ...find('dist/test')].filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) { console.error('no test files found: run npm run build first'); process.exit(1); }
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
