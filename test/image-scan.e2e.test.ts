import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli } from './harness/cli.js';
import { EXPECTED, writeScanFixture } from '../src/image/scan/testdata.js';

interface TrivyJson { ArtifactName: string; Metadata: { OS?: { Family: string; Name: string } }; Results: Array<{ Target: string; Class: string; Type: string; Vulnerabilities?: Array<Record<string, string>> }> }

describe('lcctl image scan (image from the node store, offline OSV database)', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-t6-e2e-'));
  const db = path.join(dir, 'scan-db');
  const scan = (...args: string[]): string[] => ['image', 'scan', '--db-dir', db, ...args];
  let osvDir = '';

  before(async () => {
    await server.start();
    const f = await writeScanFixture(dir, 'scanme:1');
    osvDir = f.osvDir;
    await cli.ok(['image', 'import', f.archive, 'scanme:1']);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('with no database, a scan says how to import one', async () => {
    const r = await cli.expect(1, scan('scanme:1'));
    assert.match(r.stderr, /no vulnerability database in .*scan-db: run "lcctl image scan db import FILE\|DIR"/);
  });

  test('a malformed database file is refused naming the file and field; the database stays empty', async () => {
    const badFile = path.join(dir, 'broken-osv.json');
    writeFileSync(badFile, JSON.stringify({ id: 'GHSA-bad', affected: [{ package: { ecosystem: 'npm' }, ranges: [] }] }));
    const r = await cli.expect(1, scan('db', 'import', osvDir, badFile));
    assert.match(r.stderr, /broken-osv\.json: affected\[0\]\.package\.name: expected a non-empty string/);
    assert.match(await cli.ok(scan('db', 'status')), /No database at/);
  });

  test('db import and db status', async () => {
    assert.match(await cli.ok(scan('db', 'import', osvDir)), /^Imported 9 advisories from .* the database holds 9\n$/);
    const s = JSON.parse(await cli.ok(scan('db', 'status', '-o', 'json'))) as { total: number; byEcosystem: Record<string, number> };
    assert.equal(s.total, 9);
    assert.deepEqual(s.byEcosystem, { Debian: 4, npm: 3, PyPI: 1, 'crates.io': 1 });
  });

  test('-o json: Trivy\'s Results[].Vulnerabilities[] match the advisories exactly', async () => {
    const j = JSON.parse(await cli.ok(scan('scanme:1', '-o', 'json'))) as TrivyJson;
    assert.equal(j.ArtifactName, 'scanme:1');
    assert.deepEqual(j.Metadata.OS, { Family: 'debian', Name: '12.4' });
    const got = j.Results.flatMap((r) => (r.Vulnerabilities ?? []).map((v) => [r.Class, v.PkgName, v.VulnerabilityID, v.Severity, v.FixedVersion]));
    assert.deepEqual(got, EXPECTED);
    assert.deepEqual(j.Results.map((r) => r.Type), ['debian', 'npm', 'cargo']);
  });

  test('the table groups per target; --severity and --exit-code decide the exit status', async () => {
    const table = await cli.ok(scan('scanme:1'));
    assert.match(table, /scanme:1 \(debian 12\.4\) \(debian\)\n=+\nTotal: 2 \(UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 2, CRITICAL: 0\)/);
    assert.match(table, /app\/package-lock\.json \(npm\)\n=+\nTotal: 3 /);
    const crit = await cli.run(scan('scanme:1', '--severity', 'CRITICAL', '--exit-code', '3', '-o', 'json'));
    assert.equal(crit.code, 3, crit.stderr);
    const only = (JSON.parse(crit.stdout) as TrivyJson).Results.flatMap((r) => r.Vulnerabilities ?? []).map((v) => v.VulnerabilityID);
    assert.deepEqual(only, ['CVE-2021-25900']);
    await cli.expect(0, scan('scanme:1', '--severity', 'CRITICAL', '--ignore-unfixed', '--exit-code', '3'));
    await cli.expect(0, scan('scanme:1', '--severity', 'UNKNOWN', '--exit-code', '3'));
    await cli.expect(125, scan('scanme:1', '--severity', 'SEVERE'));
  });

  test('-o sarif and -o cyclonedx', async () => {
    const sarif = JSON.parse(await cli.ok(scan('scanme:1', '-o', 'sarif'))) as { version: string; runs: Array<{ results: unknown[] }> };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]!.results.length, EXPECTED.length);
    const bom = JSON.parse(await cli.ok(scan('scanme:1', '-o', 'cyclonedx'))) as { specVersion: string; components: Array<{ name: string }>; vulnerabilities: unknown[] };
    assert.equal(bom.specVersion, '1.5');
    assert.deepEqual(bom.components.map((c) => c.name).sort(), ['curl', 'express', 'libssl3', 'lodash', 'minimist', 'openssl', 'serde', 'smallvec', 'zlib1g']);
    assert.equal(bom.vulnerabilities.length, EXPECTED.length - 1);
  });

  test('an image no node holds is a clear error; a caller without a valid token is refused', async () => {
    const r = await cli.expect(1, scan('nosuch:9'));
    assert.match(r.stderr, /image nosuch:9 not found on any node/);
    const anon = await cli.run(scan('scanme:1', '--token', 'not-a-token'));
    assert.notEqual(anon.code, 0);
    assert.match(anon.stderr, /Unauthorized|unauthorized|401|token/i);
    assert.equal(anon.stdout, '', 'nothing is reported without access to the image');
  });
});
