import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const module = fileURLToPath(new URL('./last-resort.js', import.meta.url));

/** Run a script in a fresh node process (the handlers are process-wide); its exit code and output. */
function runScript(body: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { installLastResort } from ${JSON.stringify(module)};\n${body}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('an uncaught exception and an unhandled rejection are logged as BUG lines with their stacks, counted, and the process goes on', async () => {
  const r = await runScript(`
    const guard = installLastResort('server');
    setTimeout(() => { throw new Error('thrown from a timer'); }, 0);
    setTimeout(() => { void Promise.reject(new Error('rejected and forgotten')); }, 5);
    setTimeout(async () => {
      process.stdout.write(guard.count() + '\\n');
      process.stdout.write((await guard.registry.expose()).split('\\n').filter((l) => l.startsWith('lanternd_uncaught')).join('\\n') + '\\n');
      process.stdout.write('still running\\n');
    }, 50);
  `);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^2\n/);
  assert.match(r.stdout, /^lanternd_uncaught_errors_total\{kind="exception"\} 1$/m);
  assert.match(r.stdout, /^lanternd_uncaught_errors_total\{kind="rejection"\} 1$/m);
  assert.match(r.stdout, /still running/);
  assert.match(r.stderr, /^lanternd: BUG: uncaught exception \(the server keeps running; please report it\): Error: thrown from a timer\n\s+at /m);
  assert.match(r.stderr, /^lanternd: BUG: unhandled promise rejection \(the server keeps running; please report it\): Error: rejected and forgotten\n\s+at /m);
});

test('a burst of faults is counted in full but logged only up to a bound (20 stacks per 10 s)', async () => {
  const r = await runScript(`
    const guard = installLastResort('agent');
    for (let i = 0; i < 50; i++) setTimeout(() => { throw new Error('fault ' + i); }, 0);
    setTimeout(() => process.stdout.write(guard.count() + '\\n'), 50);
  `);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '50\n');
  assert.equal(r.stderr.match(/^lanternd: BUG: uncaught exception/gm)?.length, 20, r.stderr);
  assert.match(r.stderr, /the agent keeps running/);
});

test('with no counter registry given, the metric starts at 0 for both kinds', async () => {
  const r = await runScript(`
    const guard = installLastResort('server');
    process.stdout.write(await guard.registry.expose());
  `);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^# TYPE lanternd_uncaught_errors_total counter$/m);
  assert.match(r.stdout, /^lanternd_uncaught_errors_total\{kind="exception"\} 0$/m);
  assert.match(r.stdout, /^lanternd_uncaught_errors_total\{kind="rejection"\} 0$/m);
});
