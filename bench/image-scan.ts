/**
 * bench:image-scan — `lcctl image scan`'s engine on a ~100 MB Debian-based image (dpkg status with 500
 * packages, an npm lock of 200 dependencies, ~100 MB of other files in a gzip layer) against 10,000
 * synthetic OSV advisories. Peer: reading the same layers with `tar -xzOf` (decompression alone, the
 * floor any scanner pays). Trivy is not installable here; the issue quotes "a few seconds" for Trivy
 * on such an image with its database cached.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDb, loadDb } from '../src/image/scan/db.js';
import { AdvisoryIndex } from '../src/image/scan/match.js';
import { findingCount, scanArchive } from '../src/image/scan/scan.js';
import { tarDir, writeOciArchive } from '../src/image/fixtures.js';
import { onCleanup, runBenchmark } from './lib/cleanup.js';
import { writeTree } from './lib/layer-gen.js';
import { machineReport } from './lib/machine.js';
import { median, ms, ratio, table } from './lib/stats.js';

const MB = 1e6;
const SIZE = Number(process.env.BENCH_SCAN_MB ?? 100) * MB;
const ADVISORIES = Number(process.env.BENCH_SCAN_ADVISORIES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PKGS = 500;
const say = (s = ''): void => { process.stdout.write(`${s}\n`); };

function advisory(i: number): unknown {
  const kind = i % 10;
  if (kind < 5) { // Debian: 10 per package, half of them fixed above the installed 1.0-1
    const fixed = i % 4 === 0 ? '1.0-2' : '0.9-1';
    return { id: `DEBIAN-CVE-2024-${i}`, aliases: [`CVE-2024-${i}`], summary: `synthetic ${i}`, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }], affected: [{ package: { ecosystem: 'Debian:12', name: `pkg${i % PKGS}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }] };
  }
  if (kind < 8) return { id: `GHSA-${i}`, database_specific: { severity: 'HIGH' }, affected: [{ package: { ecosystem: 'npm', name: `npmdep${i % 1000}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: `${i % 3}.0.0` }] }] }] };
  return { id: `PYSEC-${i}`, affected: [{ package: { ecosystem: 'PyPI', name: `pydep${i % 700}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }] };
}

runBenchmark('bench:image-scan', async () => {
  say('== bench:image-scan: vulnerability scan of a ~100 MB Debian-based image ==');
  say(machineReport());
  const work = mkdtempSync(join(process.env.BENCH_DIR ?? '/var/tmp', 'lantern-bench-scan-'));
  onCleanup('bench work dir', () => rmSync(work, { recursive: true, force: true }));
  const base = join(work, 'base');
  mkdirSync(join(base, 'var/lib/dpkg'), { recursive: true });
  mkdirSync(join(base, 'etc'), { recursive: true });
  mkdirSync(join(base, 'app'), { recursive: true });
  writeFileSync(join(base, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
  writeFileSync(join(base, 'etc/debian_version'), '12.4\n');
  writeFileSync(join(base, 'var/lib/dpkg/status'), Array.from({ length: PKGS }, (_, i) => `Package: pkg${i}\nStatus: install ok installed\nVersion: 1.0-1\nArchitecture: amd64\nDescription: synthetic package ${i}\n`).join('\n'));
  const packages: Record<string, unknown> = { '': { name: 'app' } };
  for (let i = 0; i < 200; i++) packages[`node_modules/npmdep${i * 5}`] = { version: `${i % 3}.5.0` };
  writeFileSync(join(base, 'app/package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
  const bulk = join(work, 'bulk');
  const tree = writeTree(bulk, { bytes: SIZE, compressible: 0.5 });
  await tarDir(base, join(work, 'l0.tar'));
  await tarDir(bulk, join(work, 'l1.tar'));
  const archive = join(work, 'image.tar');
  await writeOciArchive(archive, [{ name: 'bench/scan:1', layers: [join(work, 'l0.tar'), join(work, 'l1.tar')] }], work);
  const osv = join(work, 'osv');
  mkdirSync(osv);
  for (let i = 0; i < ADVISORIES; i++) writeFileSync(join(osv, `A-${i}.json`), JSON.stringify(advisory(i)));
  say(`image: ${tree.files} files, ${(tree.bytes / MB).toFixed(0)} MB + ${PKGS} dpkg packages + 200 npm deps; database: ${ADVISORIES} advisories`);

  let t = performance.now();
  await importDb(join(work, 'db'), [osv]);
  const importMs = performance.now() - t;
  const scans: number[] = [];
  const floors: number[] = [];
  let found = 0;
  const oci = join(work, readdirSync(work).find((d) => d.startsWith('oci-'))!, 'blobs', 'sha256');
  const layerBlobs = readdirSync(oci).map((f) => join(oci, f));
  for (let r = 0; r < RUNS; r++) {
    t = performance.now();
    const db = await loadDb(join(work, 'db'));
    const result = await scanArchive('bench/scan:1', archive, work, new AdvisoryIndex(db!.advisories));
    scans.push(performance.now() - t);
    found = findingCount(result);
    t = performance.now();
    for (const blob of layerBlobs) { try { execFileSync('tar', ['-xzOf', blob], { stdio: ['ignore', 'ignore', 'ignore'] }); } catch { /* configs and manifests are not tars */ } }
    floors.push(performance.now() - t);
  }
  say(table([
    ['what', 'median', 'runs'],
    [`db import (${ADVISORIES} OSV files, once)`, ms(importMs), '1'],
    ['scan: db load + layers + SBOM + match', ms(median(scans)), String(RUNS)],
    ['peer: tar -xzOf of the same layers', ms(median(floors)), String(RUNS)],
  ]));
  say(`findings: ${found}; scan / tar floor = ${ratio(median(scans), median(floors))}; Trivy (not installable here): "a few seconds" per the issue`);
});
