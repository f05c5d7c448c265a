import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CdiSpecError, cdiDevice, parseQualifiedName, readCdiSpecs, validateCdiSpec } from './cdi-spec.js';

const problems = (doc: unknown): string[] => {
  try { validateCdiSpec(doc, 'x.yaml'); } catch (e) { if (e instanceof CdiSpecError) return e.problems.map((p) => `${p.field}: ${p.message}`); throw e; }
  return [];
};

describe('CDI spec validation', () => {
  test('names each bad field by its path', () => {
    const got = problems({
      cdiVersion: '0.9.0', kind: 'nodomain',
      devices: [
        { name: 'ok', containerEdits: { env: ['NOEQUALS'], deviceNodes: [{ path: 'dev/x' }] } },
        { name: 'ok', containerEdits: { mounts: [{ hostPath: '/a', containerPath: 'rel' }] } },
        { name: '-bad' },
      ],
    });
    assert.deepEqual(got.map((g) => g.split(':')[0]), [
      'cdiVersion', 'kind', 'devices[0].containerEdits.env[0]', 'devices[0].containerEdits.deviceNodes[0].path',
      'devices[1].name', 'devices[1].containerEdits.mounts[0].containerPath', 'devices[2].name', 'devices[2].containerEdits',
    ]);
    assert.match(got[0]!, /must be one of 0\.3\.0.*0\.8\.0/);
    assert.match(got[1]!, /vendor\.com\/class/);
  });

  test('a spec without devices is refused', () => {
    assert.deepEqual(problems({ cdiVersion: '0.5.0', kind: 'a.com/b', devices: [] }), ['devices: must list at least one device']);
  });

  test('fully-qualified names', () => {
    assert.deepEqual(parseQualifiedName('nvidia.com/gpu=0'), { kind: 'nvidia.com/gpu', name: '0' });
    assert.deepEqual(parseQualifiedName('vendor.com/class=GPU-1234:mig'), { kind: 'vendor.com/class', name: 'GPU-1234:mig' });
    assert.equal(parseQualifiedName('vendor/class=x'), undefined);
    assert.equal(parseQualifiedName('vendor.com/class'), undefined);
  });
});

describe('CDI spec dirs', () => {
  let dir = '';
  let dir2 = '';
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'lt-g1-cdi-'));
    dir2 = await mkdtemp(path.join(os.tmpdir(), 'lt-g1-cdi2-'));
    await writeFile(path.join(dir, 'fpga.yaml'), `cdiVersion: "0.6.0"
kind: acme.com/fpga
containerEdits:
  env: ["ACME_DRIVER=2"]
devices:
  - name: f0
    containerEdits:
      env: ["ACME_FPGA=0"]
      deviceNodes: [{ path: /dev/acme0, type: c, major: 240, minor: 0 }]
      mounts: [{ hostPath: /opt/acme/lib, containerPath: /usr/lib/acme, options: [ro, bind] }]
`);
    await writeFile(path.join(dir, 'broken.json'), '{"cdiVersion": "0.6.0", "kind": "acme.com/x"');
    await writeFile(path.join(dir2, 'override.json'), JSON.stringify({ cdiVersion: '0.8.0', kind: 'acme.com/fpga', devices: [{ name: 'f0', containerEdits: { env: ['ACME_FPGA=override'] } }] }));
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); await rm(dir2, { recursive: true, force: true }); });

  test('resolves a device to the spec-wide edits plus its own', async () => {
    const edits = await cdiDevice('acme.com/fpga=f0', [dir]);
    assert.deepEqual(edits.env, { ACME_DRIVER: '2', ACME_FPGA: '0' });
    assert.deepEqual(edits.deviceNodes, [{ path: '/dev/acme0', type: 'c', major: 240, minor: 0 }]);
    assert.deepEqual(edits.mounts, [{ source: '/opt/acme/lib', destination: '/usr/lib/acme', type: 'bind', readOnly: true, options: ['ro', 'bind'] }]);
  });

  test('a later dir wins for the same device (as /var/run/cdi over /etc/cdi)', async () => {
    assert.deepEqual((await cdiDevice('acme.com/fpga=f0', [dir, dir2])).env, { ACME_FPGA: 'override' });
  });

  test('an unknown device names what the node has; a broken file is reported, the others still read', async () => {
    await assert.rejects(cdiDevice('acme.com/fpga=f9', [dir]), /unknown CDI device acme.com\/fpga=f9: this node has acme.com\/fpga=f0/);
    const errors: string[] = [];
    const specs = await readCdiSpecs([dir], (e) => errors.push(e.message));
    assert.equal(specs.length, 1);
    assert.match(errors[0] ?? '', /broken\.json: \(file\): not valid JSON/);
  });
});
