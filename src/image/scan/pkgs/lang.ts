/** Language lock files: package-lock.json (v1-v3), requirements.txt (== pins), poetry.lock, go.sum, Cargo.lock. */
import { posix } from 'node:path';
import type { Package } from '../types.js';

/** PyPI's normalised name (PEP 503): lower case, runs of -_. as one dash. */
export function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function npmLock(text: string, file: string): Package[] {
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new Error(`${file}: not JSON (${(e as Error).message})`); }
  const o = (typeof doc === 'object' && doc !== null ? doc : {}) as { packages?: Record<string, { version?: unknown; link?: unknown; name?: unknown }>; dependencies?: Record<string, unknown> };
  const out: Package[] = [];
  if (o.packages) { // lockfileVersion 2 and 3: keys are install paths
    for (const [path, p] of Object.entries(o.packages)) {
      if (path === '' || p.link === true || typeof p.version !== 'string') continue;
      const i = path.lastIndexOf('node_modules/');
      const name = typeof p.name === 'string' ? p.name : path.slice(i + 'node_modules/'.length);
      if (i < 0 && typeof p.name !== 'string') continue; // a workspace folder, not a dependency
      out.push({ name, version: p.version, ecosystem: 'npm', file });
    }
    return out;
  }
  const walk = (deps: Record<string, unknown> | undefined): void => { // lockfileVersion 1: nested dependencies
    for (const [name, d] of Object.entries(deps ?? {})) {
      const dep = d as { version?: unknown; dependencies?: Record<string, unknown> };
      if (typeof dep.version === 'string' && !/^(file|link|git)/.test(dep.version)) out.push({ name, version: dep.version, ecosystem: 'npm', file });
      walk(dep.dependencies);
    }
  };
  walk(o.dependencies);
  return out;
}

function requirements(text: string, file: string): Package[] {
  const out: Package[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s#.*$/, '').replace(/^#.*$/, '').split(';')[0]!.trim();
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*===?\s*([^\s,]+)$/.exec(line);
    if (m) out.push({ name: pypiName(m[1]!), version: m[2]!, ecosystem: 'PyPI', file });
  }
  return out;
}

// poetry.lock and Cargo.lock: TOML [[package]] tables with name = "..." and version = "...".
function tomlPackages(text: string, file: string, ecosystem: string, norm: (n: string) => string): Package[] {
  const out: Package[] = [];
  for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\[/m)[0]!;
    const name = /^name\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    const version = /^version\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    if (name && version) out.push({ name: norm(name), version, ecosystem, file });
  }
  return out;
}

function goSum(text: string, file: string): Package[] {
  const seen = new Set<string>();
  const out: Package[] = [];
  for (const line of text.split('\n')) {
    const [mod, ver] = line.trim().split(/\s+/);
    // "/go.mod" lines are only read to resolve versions; the module's code is not in the build.
    if (!mod || !ver || ver.endsWith('/go.mod') || seen.has(`${mod}@${ver}`)) continue;
    seen.add(`${mod}@${ver}`);
    out.push({ name: mod, version: ver, ecosystem: 'Go', file });
  }
  return out;
}

/** Trivy's Type for a lock file name. */
export const LOCK_TYPE: Record<string, string> = { 'package-lock.json': 'npm', 'requirements.txt': 'pip', 'poetry.lock': 'poetry', 'go.sum': 'gomod', 'Cargo.lock': 'cargo' };

/** The dependencies one lock file names (path inside the image). */
export function langPackages(path: string, text: string): Package[] {
  const base = posix.basename(path);
  if (base === 'package-lock.json') return npmLock(text, path);
  if (base === 'requirements.txt') return requirements(text, path);
  if (base === 'poetry.lock') return tomlPackages(text, path, 'PyPI', pypiName);
  if (base === 'Cargo.lock') return tomlPackages(text, path, 'crates.io', (n) => n);
  if (base === 'go.sum') return goSum(text, path);
  return [];
}
