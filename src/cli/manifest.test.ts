import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifests, readManifests } from './manifest.js';

const two = `apiVersion: v1
kind: Pod
metadata:
  name: a
spec:
  containers:
  - name: a
    image: busybox
---
# a comment-only document is skipped
---
apiVersion: v1
kind: Node
metadata:
  name: n1
`;

describe('manifests', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'lcctl-manifest-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('multi-document YAML yields every object, skipping empty documents', async () => {
    const objs = await parseManifests(two, 'f.yaml');
    assert.deepEqual(objs.map((o) => `${o.obj.kind}/${o.obj.metadata.name}`), ['Pod/a', 'Node/n1']);
  });

  test('JSON objects, arrays and Lists', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { containers: [] } };
    assert.equal((await parseManifests(JSON.stringify(pod), 'x.json')).length, 1);
    assert.equal((await parseManifests(JSON.stringify([pod, pod]), 'x.json')).length, 2);
    assert.equal((await parseManifests(JSON.stringify({ kind: 'List', items: [pod] }), 'x.json')).length, 1);
  });

  test('a YAML List is flattened', async () => {
    const objs = await parseManifests('kind: List\nitems:\n- kind: Pod\n  metadata: {name: p1}\n- kind: Pod\n  metadata: {name: p2}\n', 'l.yaml');
    assert.deepEqual(objs.map((o) => o.obj.metadata.name), ['p1', 'p2']);
  });

  test('errors name the file and document', async () => {
    await assert.rejects(parseManifests('kind: Pod\nmetadata: {name: a}\n---\nkind: [oops\n', 'bad.yaml'), /bad.yaml \(document 2\): invalid YAML/);
    await assert.rejects(parseManifests('metadata: {name: a}\n', 'nokind.yaml'), /nokind.yaml: object has no "kind"/);
    await assert.rejects(parseManifests('kind: Pod\nmetadata: {}\n', 'noname.yaml'), /Pod has no metadata.name/);
    await assert.rejects(parseManifests('{"kind": ', 'bad.json'), /bad.json: invalid JSON/);
  });

  test('files and directories', async () => {
    const sub = join(dir, 'objs');
    mkdirSync(sub);
    writeFileSync(join(sub, '1.yaml'), two);
    writeFileSync(join(sub, '2.json'), JSON.stringify({ kind: 'Pod', metadata: { name: 'z' } }));
    writeFileSync(join(sub, 'README.md'), 'ignored');
    const objs = await readManifests([sub]);
    assert.deepEqual(objs.map((o) => o.obj.metadata.name), ['a', 'n1', 'z']);
    await assert.rejects(readManifests([join(dir, 'missing.yaml')]), /does not exist/);
  });
});
