/** From an image's merged files to report targets: one for the OS packages, one per lock file. */
import { LOCK_FILES } from './layers.js';
import { apkPackages } from './pkgs/apk.js';
import { dpkgPackages } from './pkgs/dpkg.js';
import { LOCK_TYPE, langPackages } from './pkgs/lang.js';
import { detectOs, osEcosystem } from './pkgs/os.js';
import { rpmPackages } from './pkgs/rpm.js';
import { posix } from 'node:path';
import type { OsInfo, Package, Target } from './types.js';

/** The targets of an image named `artifact`, its OS, and notes on what could not be read. */
export function buildTargets(artifact: string, files: Map<string, Buffer>): { targets: Target[]; os?: OsInfo; notes: string[] } {
  const os = detectOs(files);
  const notes: string[] = [];
  const osPkgs: Package[] = [];
  let type = os?.family ?? 'unknown';
  const dpkg = [...files.keys()].filter((k) => k === 'var/lib/dpkg/status' || k.startsWith('var/lib/dpkg/status.d/')).sort();
  for (const f of dpkg) osPkgs.push(...dpkgPackages(files.get(f)!.toString('utf8'), f, osEcosystem(os, 'Debian')));
  if (dpkg.length && os?.family !== 'ubuntu') type = 'debian';
  const apk = files.get('lib/apk/db/installed');
  if (apk) { osPkgs.push(...apkPackages(apk.toString('utf8'), 'lib/apk/db/installed', osEcosystem(os, 'Alpine'))); type = 'alpine'; }
  for (const f of ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite']) {
    const db = files.get(f);
    if (db) osPkgs.push(...rpmPackages(db, f, rpmEcosystem(os)));
  }
  if (files.has('var/lib/rpm/Packages') && !files.has('var/lib/rpm/rpmdb.sqlite')) {
    notes.push('var/lib/rpm/Packages is a Berkeley DB rpm database (RHEL 8 and older); only rpmdb.sqlite is read, so its OS packages are not scanned');
  }
  const targets: Target[] = [];
  if (osPkgs.length) targets.push({ name: `${artifact} (${os ? `${os.family} ${os.name}` : type})`, class: 'os-pkgs', type, packages: osPkgs });
  const locks = [...files.keys()].filter((k) => LOCK_FILES.has(posix.basename(k))).sort();
  for (const f of locks) {
    const pkgs = langPackages(f, files.get(f)!.toString('utf8'));
    targets.push({ name: f, class: 'lang-pkgs', type: LOCK_TYPE[posix.basename(f)] ?? 'unknown', packages: pkgs });
  }
  return { targets, notes, ...(os ? { os } : {}) };
}

// OSV's rpm distributions: RHEL's records are "Red Hat:...", Rocky's "Rocky Linux:9", Alma's "AlmaLinux:9".
function rpmEcosystem(os: OsInfo | undefined): string {
  const major = os?.name.split('.')[0] ?? '';
  if (os?.family === 'rocky') return `Rocky Linux:${major}`;
  if (os?.family === 'almalinux') return `AlmaLinux:${major}`;
  return 'Red Hat';
}
