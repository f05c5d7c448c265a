import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, lcctlBin } from './harness/lanternd.js';

/**
 * Real bash sources `lcctl completion bash` and calls its function as bash's programmable completion
 * would (COMP_WORDS/COMP_CWORD); object names come from a real lanternd through `lcctl __complete`.
 */
describe('lcctl completion bash against a server', () => {
  const server = new TestServer();
  const bin = mkdtempSync(path.join(tmpdir(), 'c2-completion-bin-'));

  /** The words bash would offer for a command line whose last word is being completed. */
  function complete(words: string[], env: Record<string, string> = {}): string[] {
    const script = `source <(lcctl completion bash) || exit 9
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_lcctl
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['-c', script], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, LANTERN_CONFIG: server.configFile, ...env },
    });
    assert.equal(r.status, 0, `bash exited ${String(r.status)}: ${r.stderr}`);
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  before(async () => {
    symlinkSync(lcctlBin, path.join(bin, 'lcctl'));
    await server.start();
    // Bound to a node that does not exist, so no agent runs them: only their names matter here.
    const pod = (name: string): unknown => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'c2-nowhere', containers: [{ name: 'main', image: 'busybox' }] } });
    for (const name of ['c2-web-1', 'c2-web-2', 'c2-db']) {
      const r = await server.api('POST', '/api/v1/namespaces/default/pods', pod(name));
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    assert.equal((await server.api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c2-other' } })).status, 201);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2-settings', namespace: 'c2-other' }, data: { a: 'b' } };
    assert.equal((await server.api('POST', '/api/v1/namespaces/c2-other/configmaps', cm)).status, 201);
  });
  after(async () => {
    await server.stop();
    rmSync(bin, { recursive: true, force: true });
  });

  test('verbs, kinds and flags complete without the server', () => {
    assert.ok(complete(['lcctl', 'comp']).includes('completion'));
    assert.ok(!complete(['lcctl', '']).includes('__complete'));
    assert.ok(complete(['lcctl', 'get', 'po']).includes('pods'));
    assert.deepEqual(complete(['lcctl', 'get', 'pods', '--field-s']), ['--field-selector']);
  });

  test('pod names complete after get pods and after logs', () => {
    assert.deepEqual(complete(['lcctl', 'get', 'pods', 'c2-web']), ['c2-web-1', 'c2-web-2']);
    assert.deepEqual(complete(['lcctl', 'logs', 'c2-d']), ['c2-db']);
    assert.deepEqual(complete(['lcctl', 'logs', '-f', '']), ['c2-db', 'c2-web-1', 'c2-web-2']);
    // exec's second argument is the command: no names there.
    assert.deepEqual(complete(['lcctl', 'exec', 'c2-db', '']), []);
  });

  test('-n on the line chooses the namespace of the names, and namespaces complete after -n', () => {
    assert.deepEqual(complete(['lcctl', 'get', 'cm', '-n', 'c2-other', '']), ['c2-settings']);
    assert.deepEqual(complete(['lcctl', 'get', 'cm', '']), []);
    assert.ok(complete(['lcctl', 'get', 'pods', '-n', 'c2-o']).includes('c2-other'));
  });

  test('a server that does not answer completes nothing, quietly', () => {
    assert.deepEqual(complete(['lcctl', 'logs', ''], { LANTERN_CONFIG: '/nonexistent', LANTERN_SERVER: 'http://127.0.0.1:1', LANTERN_TOKEN: 'x' }), []);
    const r = spawnSync(lcctlBin, ['__complete', 'names', 'pods', '--server', 'http://127.0.0.1:1', '--token', 'x'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout + r.stderr, '');
  });

  test('a token that may not list gets no names', () => {
    assert.deepEqual(complete(['lcctl', 'logs', ''], { LANTERN_CONFIG: '/nonexistent', LANTERN_SERVER: server.url, LANTERN_TOKEN: 'not-a-token' }), []);
  });
});
