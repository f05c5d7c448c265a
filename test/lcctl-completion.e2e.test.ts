/**
 * `lcctl completion bash|zsh|fish` used as the shells use it: the generated function is called with a
 * command line (bash's COMP_WORDS/COMP_CWORD, zsh through bashcompinit, fish's `complete -C`), and
 * completes verbs, flags, kinds and the names of objects read from a running server; a token that may
 * not list gets no names.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestServer, lcctlBin } from './harness/lanternd.js';

const server = new TestServer([]);
let dir = '';

function shell(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, PATH: `${path.dirname(lcctlBin)}:${process.env.PATH ?? ''}`, LANTERN_CONFIG: server.configFile, NO_COLOR: '1' }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`${cmd}: ${err.message}\n${stderr}`)); else resolve(stdout);
    });
  });
}

/** What bash's completion offers for WORDS (the last one is the word being completed). */
async function bash(words: string[]): Promise<string[]> {
  const script = path.join(dir, 'lcctl.bash');
  const line = words.map((w) => `'${w}'`).join(' ');
  const out = await shell('bash', ['-c', `source '${script}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _lcctl; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  return out.split('\n').filter((l) => l !== '').sort();
}

before(async () => {
  await server.start();
  dir = server.dataDir;
  for (const shellName of ['bash', 'zsh', 'fish']) {
    const r = await server.lcctl(['completion', shellName]);
    assert.equal(r.code, 0, r.stderr);
    writeFileSync(path.join(dir, `lcctl.${shellName}`), r.stdout);
  }
  const ns = await server.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'k3-comp-ns' } });
  assert.equal(ns.status, 201, JSON.stringify(ns.body));
  for (const args of [['create', 'configmap', 'k3-comp-a', '--from-literal=a=1'], ['create', 'configmap', 'k3-comp-b', '--from-literal=a=1'],
    ['create', 'configmap', 'k3-comp-other', '--from-literal=a=1', '-n', 'k3-comp-ns']]) {
    const r = await server.lcctl(args);
    assert.equal(r.code, 0, `lcctl ${args.join(' ')}: ${r.stderr}`);
  }
});
after(async () => { await server.stop(); });

test('bash completes verbs, flags and kinds from the lists lcctl is made of', async () => {
  assert.ok((await bash(['lcctl', 'ge'])).includes('get'));
  assert.deepEqual(await bash(['lcctl', 'get', '--outp']), ['--output']);
  assert.deepEqual(await bash(['lcctl', 'get', 'configm']), ['configmaps']);
});

test('bash completes object names from the server, in the namespace of -n', async () => {
  assert.deepEqual(await bash(['lcctl', 'get', 'configmaps', 'k3-comp']), ['k3-comp-a', 'k3-comp-b']);
  assert.deepEqual(await bash(['lcctl', 'describe', 'configmaps', '-n', 'k3-comp-ns', 'k3']), ['k3-comp-other']);
  assert.ok((await bash(['lcctl', 'get', 'configmaps', '-n', 'k3-comp'])).includes('k3-comp-ns'), 'namespaces after -n');
});

test('a token that may not list configmaps completes no names', async () => {
  assert.deepEqual(await bash(['lcctl', 'get', 'configmaps', '--token', server.joinToken, 'k3-comp']), []);
});

test('zsh (through bashcompinit) and fish complete names from the server too', async () => {
  const zsh = await shell('zsh', ['-c', `autoload -U +X compinit && compinit -u; autoload -U +X bashcompinit && bashcompinit; source '${path.join(dir, 'lcctl.zsh')}'; COMP_WORDS=(lcctl get configmaps k3-comp); COMP_CWORD=3; _lcctl; print -l -- "\${COMPREPLY[@]}"`]);
  assert.deepEqual(zsh.split('\n').filter((l) => l !== '').sort(), ['k3-comp-a', 'k3-comp-b']);
  const fish = await shell('fish', ['-c', `source '${path.join(dir, 'lcctl.fish')}'; complete -C 'lcctl get configmaps k3-comp'`]);
  assert.deepEqual(fish.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]).sort(), ['k3-comp-a', 'k3-comp-b']);
});
