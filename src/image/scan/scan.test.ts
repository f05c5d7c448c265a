import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dbStatus, importDb, loadDb } from './db.js';
import { AdvisoryIndex } from './match.js';
import { scanArchive, scanFiles } from './scan.js';
import { jsonReport } from './output/json.js';
import { sarifReport } from './output/sarif.js';
import { cyclonedxReport } from './output/cyclonedx.js';
import { tableReport } from './output/table.js';
import { cvss3Score } from './cvss.js';
import { EXPECTED, writeScanFixture } from './testdata.js';
import type { ScanResult } from './types.js';

const rows = (r: ScanResult): string[][] => r.results.flatMap(({ target, findings }) => findings.map((f) => [target.class, f.pkg.name, f.id, f.severity, f.fixedVersion]));

/** An rpm header blob with string tags (and EPOCH as int32), as rpmdb.sqlite stores them. */
function rpmHeader(tags: Record<number, string | number>): Buffer {
  const entries: Buffer[] = [];
  const data: Buffer[] = [];
  let off = 0;
  for (const [tag, v] of Object.entries(tags)) {
    const e = Buffer.alloc(16);
    const bytes = typeof v === 'number' ? Buffer.alloc(4) : Buffer.from(`${v}\0`);
    if (typeof v === 'number') bytes.writeUInt32BE(v);
    e.writeUInt32BE(Number(tag), 0); e.writeUInt32BE(typeof v === 'number' ? 4 : 6, 4); e.writeUInt32BE(off, 8); e.writeUInt32BE(1, 12);
    entries.push(e); data.push(bytes); off += bytes.length;
  }
  const head = Buffer.alloc(8);
  head.writeUInt32BE(entries.length, 0); head.writeUInt32BE(off, 4);
  return Buffer.concat([head, ...entries, ...data]);
}

describe('image scan: SBOM, matching and reports', () => {
  let dir = '';
  let archive = '';
  let index: AdvisoryIndex;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lantern-t6-scan-'));
    const f = await writeScanFixture(dir, 'scanme:1');
    archive = f.archive;
    await importDb(join(dir, 'db'), [f.osvDir]);
    index = new AdvisoryIndex((await loadDb(join(dir, 'db')))!.advisories);
  });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('finds exactly the advisories that apply, across layers with whiteouts, source packages and releases', async () => {
    const r = await scanArchive('scanme:1', archive, dir, index);
    assert.deepEqual(rows(r), EXPECTED);
    assert.deepEqual(r.os, { family: 'debian', name: '12.4' });
    assert.deepEqual(r.results.map((x) => [x.target.name, x.target.type]), [['scanme:1 (debian 12.4)', 'debian'], ['app/package-lock.json', 'npm'], ['srv/Cargo.lock', 'cargo']]);
    const os = r.results[0]!.target.packages.map((p) => `${p.name}=${p.version}`);
    assert.deepEqual(os, ['openssl=3.0.11-1~deb12u1', 'libssl3=3.0.11-1~deb12u1', 'zlib1g=1:1.2.13.dfsg-1', 'curl=7.88.1-10+deb12u5'], 'upper layer\'s status wins; removed packages are not listed');
  });

  test('--severity and --ignore-unfixed filter the findings', async () => {
    const r = await scanArchive('scanme:1', archive, dir, index, { severities: ['HIGH', 'CRITICAL'], ignoreUnfixed: true });
    assert.deepEqual(rows(r), EXPECTED.filter((e) => (e[3] === 'HIGH' || e[3] === 'CRITICAL') && e[4] !== ''));
  });

  test('reports: Trivy JSON, table, SARIF 2.1.0, CycloneDX 1.5', async () => {
    const r = await scanArchive('scanme:1', archive, dir, index);
    const j = jsonReport(r) as { SchemaVersion: number; Results: Array<{ Target: string; Class: string; Vulnerabilities?: Array<Record<string, unknown>> }> };
    assert.equal(j.SchemaVersion, 2);
    const v = j.Results[0]!.Vulnerabilities![0]!;
    assert.deepEqual([v.VulnerabilityID, v.PkgName, v.InstalledVersion, v.FixedVersion, v.Severity, v.Title], ['CVE-2023-5678', 'libssl3', '3.0.11-1~deb12u1', '3.0.11-1~deb12u2', 'HIGH', 'openssl: excessive time spent in DH check']);
    const table = tableReport(r);
    assert.match(table, /scanme:1 \(debian 12\.4\) \(debian\)\n=+\nTotal: 2 \(UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 2, CRITICAL: 0\)/);
    assert.match(table, /│ Library +│ Vulnerability +│ Severity +│ Installed Version +│ Fixed Version +│ Title/);
    assert.match(table, /│ lodash +│ CVE-2021-23337 +│ HIGH +│ 4\.17\.20 +│ 4\.17\.21 +│ Command Injection in lodash/);
    const sarif = sarifReport(r) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string }>; tool: { driver: { rules: unknown[] } } }> };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]!.results.length, EXPECTED.length);
    assert.equal(sarif.runs[0]!.tool.driver.rules.length, EXPECTED.length - 1, 'one rule per vulnerability ID');
    assert.deepEqual(sarif.runs[0]!.results.find((x) => x.ruleId === 'CVE-2021-25900')?.level, 'error');
    const bom = cyclonedxReport(r) as { bomFormat: string; specVersion: string; components: Array<{ purl: string }>; vulnerabilities: Array<{ id: string; affects: Array<{ ref: string }> }> };
    assert.equal(bom.bomFormat, 'CycloneDX');
    assert.equal(bom.specVersion, '1.5');
    assert.ok(bom.components.some((c) => c.purl === 'pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12.4'));
    assert.ok(bom.components.some((c) => c.purl === 'pkg:cargo/smallvec@1.6.0'));
    assert.equal(bom.vulnerabilities.find((x) => x.id === 'CVE-2023-5678')?.affects.length, 2);
  });

  test('Alpine: apk origin and release; rpm: sqlite rpmdb with SOURCERPM; Berkeley DB rpmdb is reported as not read', () => {
    const apkIndex = new AdvisoryIndex([{ id: 'ALPINE-CVE-2024-1', aliases: ['CVE-2024-1'], summary: '', details: '', severity: 'HIGH', references: [], affected: [{ ecosystem: 'Alpine:v3.18', name: 'openssl', versions: [], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r1' }] }] }] },
      { id: 'RHSA-1', aliases: ['CVE-2024-2'], summary: '', details: '', severity: 'MEDIUM', references: [], affected: [{ ecosystem: 'Red Hat', name: 'openssl', versions: [], ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-25.el9' }] }] }] }]);
    const apk = new Map([['etc/alpine-release', Buffer.from('3.18.4\n')], ['lib/apk/db/installed', Buffer.from('C:Q1abc\nP:libcrypto3\nV:3.1.4-r0\nA:x86_64\no:openssl\n\nP:musl\nV:1.2.4-r2\no:musl\n')]]);
    assert.deepEqual(rows(scanFiles('alp', apk, apkIndex)), [['os-pkgs', 'libcrypto3', 'CVE-2024-1', 'HIGH', '3.1.4-r1']]);
    const sqlite = new Database(':memory:');
    sqlite.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    const ins = sqlite.prepare('INSERT INTO Packages (blob) VALUES (?)');
    ins.run(rpmHeader({ 1000: 'openssl-libs', 1001: '3.0.7', 1002: '24.el9', 1003: 1, 1022: 'x86_64', 1044: 'openssl-3.0.7-24.el9.src.rpm' }));
    ins.run(rpmHeader({ 1000: 'gpg-pubkey', 1001: 'fd431d51', 1002: '4ae0493b' }));
    const rpm = new Map([['etc/os-release', Buffer.from('ID="rhel"\nVERSION_ID="9.3"\n')], ['var/lib/rpm/rpmdb.sqlite', sqlite.serialize()]]);
    sqlite.close();
    assert.deepEqual(rows(scanFiles('rh', rpm, apkIndex)), [['os-pkgs', 'openssl-libs', 'CVE-2024-2', 'MEDIUM', '1:3.0.7-25.el9']]);
    const bdb = scanFiles('old', new Map([['var/lib/rpm/Packages', Buffer.from('bdb')]]), apkIndex);
    assert.match(bdb.notes[0]!, /Berkeley DB/);
  });

  test('CVSS v3.1 base scores match the specification\'s calculator', () => {
    assert.equal(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'), 9.8);
    assert.equal(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'), 7.5);
    assert.equal(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N'), 6.4);
    assert.equal(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H'), 10, 'Log4Shell');
    assert.equal(cvss3Score('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'), 6.1, 'reflected XSS');
    assert.equal(cvss3Score('CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N'), 5.4);
    assert.equal(cvss3Score('AV:N/AC:L/Au:N/C:P/I:P/A:P'), undefined, 'a v2 vector is not scored as v3');
  });
});

describe('image scan database', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'lantern-t6-db-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('a malformed record is refused naming the file and field, and nothing is stored', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ id: 'X-1', affected: [{ package: { ecosystem: 'npm', name: 'a' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1.0.0' }] }] }] }));
    await assert.rejects(importDb(join(dir, 'db'), [bad]), /bad\.json: affected\[0\]\.ranges\[0\]\.events\[0\]: expected exactly one of introduced/);
    await writeFile(bad, JSON.stringify({ id: 'X-2', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:Q' }] }));
    await assert.rejects(importDb(join(dir, 'db'), [bad]), /bad\.json: severity\[0\]\.score: expected a CVSS:3\.x vector/);
    await writeFile(bad, '{"id": ');
    await assert.rejects(importDb(join(dir, 'db'), [bad]), /bad\.json: \(file\): not JSON/);
    await writeFile(bad, JSON.stringify({ summary: 'no id' }));
    await assert.rejects(importDb(join(dir, 'db'), [bad]), /bad\.json: id: expected a non-empty string/);
    assert.equal((await dbStatus(join(dir, 'db'))).total, 0);
  });

  test('a zip of records (osv.dev all.zip) imports; status counts per ecosystem; a re-import replaces by ID', async () => {
    const { execFileSync } = await import('node:child_process');
    const src = join(dir, 'zipsrc');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'A-1.json'), JSON.stringify({ id: 'A-1', affected: [{ package: { ecosystem: 'Debian:12', name: 'x' }, versions: ['1'] }] }));
    await writeFile(join(src, 'A-2.json'), JSON.stringify({ id: 'A-2', affected: [{ package: { ecosystem: 'PyPI', name: 'y' }, versions: ['1'] }, { package: { ecosystem: 'PyPI', name: 'z' }, versions: ['1'] }] }));
    const zip = join(dir, 'all.zip');
    execFileSync('python3', ['-c', `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nfor n in ['A-1.json','A-2.json']: z.write(sys.argv[2]+'/'+n,n)\nz.close()`, zip, src]);
    const db = join(dir, 'zdb');
    assert.deepEqual(await importDb(db, [zip]), { imported: 2, total: 2 });
    assert.deepEqual(await importDb(db, [join(src, 'A-1.json')]), { imported: 1, total: 2 });
    const s = await dbStatus(db);
    assert.deepEqual(s.byEcosystem, { Debian: 1, PyPI: 1 });
    assert.match(s.importedAt ?? '', /^\d{4}-/);
  });
});
