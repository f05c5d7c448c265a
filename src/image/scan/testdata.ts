/**
 * A test image with known package versions and a small OSV database made for it (unit tests, the e2e
 * test): Debian 12 with dpkg, an npm lock, a pip requirements file whited out by the upper layer, a
 * Cargo.lock; the advisories below and exactly what a scan must find.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tarDir, writeOciArchive } from '../fixtures.js';

const dpkg = (pkgs: Array<[string, string, string?]>): string =>
  pkgs.map(([name, version, source]) => `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nDescription: ${name}\n with a continuation line\n`).join('\n');

const LOWER: Record<string, string> = {
  'etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
  'etc/debian_version': '12.4\n',
  'var/lib/dpkg/status': `${dpkg([['openssl', '3.0.11-1~deb12u1'], ['libssl3', '3.0.11-1~deb12u1', 'openssl'], ['zlib1g', '1:1.2.13.dfsg-1', 'zlib'], ['curl', '7.88.1-10+deb12u3']])}\nPackage: oldpkg\nStatus: deinstall ok config-files\nVersion: 1.0-1\n`,
  'app/package-lock.json': JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app', version: '1.0.0' }, 'node_modules/lodash': { version: '4.17.20' }, 'node_modules/minimist': { version: '1.2.5' }, 'node_modules/express': { version: '4.19.2' } } }),
  'app/requirements.txt': 'Django==4.2.0\n',
};
const UPPER: Record<string, string> = {
  // curl upgraded past its fix; the requirements file deleted (a whiteout): neither may be reported.
  'var/lib/dpkg/status': dpkg([['openssl', '3.0.11-1~deb12u1'], ['libssl3', '3.0.11-1~deb12u1', 'openssl'], ['zlib1g', '1:1.2.13.dfsg-1', 'zlib'], ['curl', '7.88.1-10+deb12u5']]),
  'app/.wh.requirements.txt': '',
  'srv/Cargo.lock': 'version = 3\n\n[[package]]\nname = "smallvec"\nversion = "1.6.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n\n[[package]]\nname = "serde"\nversion = "1.0.190"\n',
};

const VEC_HIGH = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'; // 7.5

/** The OSV records of the test database, by file name. */
export const ADVISORIES: Record<string, unknown> = {
  'DEBIAN-CVE-2023-5678.json': { id: 'DEBIAN-CVE-2023-5678', aliases: ['CVE-2023-5678'], summary: 'openssl: excessive time spent in DH check', severity: [{ type: 'CVSS_V3', score: VEC_HIGH }], affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u2' }] }] }], references: [{ type: 'ADVISORY', url: 'https://security-tracker.debian.org/tracker/CVE-2023-5678' }] },
  'DEBIAN-CVE-2099-0001.json': { id: 'DEBIAN-CVE-2099-0001', aliases: ['CVE-2099-0001'], summary: 'openssl on bullseye only', affected: [{ package: { ecosystem: 'Debian:11', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.9.9-1' }] }] }] },
  'DEBIAN-CVE-2023-38545.json': { id: 'DEBIAN-CVE-2023-38545', aliases: ['CVE-2023-38545'], summary: 'curl: SOCKS5 heap overflow', database_specific: { severity: 'CRITICAL' }, affected: [{ package: { ecosystem: 'Debian:12', name: 'curl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.88.1-10+deb12u4' }] }] }] },
  'DEBIAN-CVE-2022-37434.json': { id: 'DEBIAN-CVE-2022-37434', aliases: ['CVE-2022-37434'], summary: 'zlib: inflateGetHeader overflow', affected: [{ package: { ecosystem: 'Debian:12', name: 'zlib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.2.13.dfsg-1' }] }] }] },
  'GHSA-35jh-r3h4-6jhm.json': { id: 'GHSA-35jh-r3h4-6jhm', aliases: ['CVE-2021-23337'], summary: 'Command Injection in lodash', database_specific: { severity: 'HIGH' }, affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }] },
  'GHSA-xvch-5gv4-984h.json': { id: 'GHSA-xvch-5gv4-984h', summary: 'Prototype pollution in minimist', database_specific: { severity: 'MODERATE' }, affected: [{ package: { ecosystem: 'npm', name: 'minimist' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.2.5' }] }] }] },
  'GHSA-express-old.json': { id: 'GHSA-qw6h-vgh9-j6wx', aliases: ['CVE-2024-43796'], summary: 'express XSS', database_specific: { severity: 'LOW' }, affected: [{ package: { ecosystem: 'npm', name: 'express' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.20.0' }] }] }] },
  'PYSEC-2023-django.json': { id: 'PYSEC-2023-100', aliases: ['CVE-2023-36053'], summary: 'django ReDoS', affected: [{ package: { ecosystem: 'PyPI', name: 'django' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.0' }, { fixed: '4.2.3' }] }] }] },
  'RUSTSEC-2021-0003.json': { id: 'RUSTSEC-2021-0003', aliases: ['CVE-2021-25900'], summary: 'Buffer overflow in SmallVec::insert_many', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected: [{ package: { ecosystem: 'crates.io', name: 'smallvec' }, versions: ['1.6.0'], ranges: [] }] },
};

/** What a full scan must report: [target class, package, vulnerability ID, severity, fixed version]. */
export const EXPECTED: Array<[string, string, string, string, string]> = [
  ['os-pkgs', 'libssl3', 'CVE-2023-5678', 'HIGH', '3.0.11-1~deb12u2'],
  ['os-pkgs', 'openssl', 'CVE-2023-5678', 'HIGH', '3.0.11-1~deb12u2'],
  ['lang-pkgs', 'express', 'CVE-2024-43796', 'LOW', '4.20.0'],
  ['lang-pkgs', 'lodash', 'CVE-2021-23337', 'HIGH', '4.17.21'],
  ['lang-pkgs', 'minimist', 'GHSA-xvch-5gv4-984h', 'MEDIUM', ''],
  ['lang-pkgs', 'smallvec', 'CVE-2021-25900', 'CRITICAL', ''],
];

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [p, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), text);
  }
}

/** Writes the database files into `dir`/osv and the image (two gzip layers, OCI archive named NAME) into `dir`. */
export async function writeScanFixture(dir: string, name: string): Promise<{ archive: string; osvDir: string }> {
  const osvDir = join(dir, 'osv');
  await mkdir(osvDir, { recursive: true });
  for (const [f, rec] of Object.entries(ADVISORIES)) await writeFile(join(osvDir, f), JSON.stringify(rec));
  const layers: string[] = [];
  for (const [i, files] of [LOWER, UPPER].entries()) {
    await writeTree(join(dir, `root${i}`), files);
    layers.push(join(dir, `layer${i}.tar`));
    await tarDir(join(dir, `root${i}`), layers[i]!);
  }
  const archive = join(dir, 'image.tar');
  await writeOciArchive(archive, [{ name, layers, cmd: ['sh'] }], dir);
  return { archive, osvDir };
}
