/**
 * Generated layer content for the image benchmarks: a directory tree of many files of mixed sizes,
 * tarred (and gzipped) with GNU tar, so the layer looks like a real one rather than one big file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { must } from './proc.js';

/** How much of each kind of file a generated tree holds. */
export interface TreeSpec {
  /** Total bytes to aim for. */
  bytes: number;
  /** Fraction of files filled with text-like (compressible) bytes; the rest are random. */
  compressible: number;
}

// Mixed sizes, as a root filesystem or an application layer has: many small files, some medium, a few large.
const SIZES: readonly { share: number; min: number; max: number }[] = [
  { share: 0.15, min: 512, max: 16 * 1024 },            // config files, scripts, small libraries
  { share: 0.45, min: 32 * 1024, max: 1024 * 1024 },    // libraries, binaries
  { share: 0.40, min: 4 * 1024 * 1024, max: 12 * 1024 * 1024 }, // a few big blobs (models, bundles)
];

const WORDS = 'lantern container image layer snapshot overlay runtime bundle config manifest digest blob registry pull push build cache '.split(' ');

/** Text-like bytes (gzip shrinks them ~3-4x, as it does source and config files). */
function textBytes(n: number): Buffer {
  const parts: string[] = [];
  let len = 0;
  const rnd = randomBytes(Math.ceil(n / 4) + 16);
  let i = 0;
  while (len < n) {
    const w = `${WORDS[rnd[i++ % rnd.length]! % WORDS.length] ?? 'x'}${rnd[i++ % rnd.length]! % 100} `;
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('').slice(0, n));
}

/** Write a tree of files into dir (created); returns the number of files and their bytes. */
export function writeTree(dir: string, spec: TreeSpec, seed = 0): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const [k, kind] of SIZES.entries()) {
    let left = spec.bytes * kind.share;
    while (left > 0) {
      const size = Math.min(Math.round(left), kind.min + Math.floor(Math.random() * (kind.max - kind.min)));
      const sub = join(dir, `kind${k}`, `d${Math.floor(files / 50)}`);
      mkdirSync(sub, { recursive: true });
      const text = Math.random() < spec.compressible;
      writeFileSync(join(sub, `f${seed}-${files}${text ? '.txt' : '.bin'}`), text ? textBytes(size) : randomBytes(size));
      files++;
      bytes += size;
      left -= size;
    }
  }
  return { files, bytes };
}

/** Tar dir's contents (numeric owner root:root, sorted names) into file; gzip with `gzip -6` when asked. */
export function tarTree(dir: string, file: string, gzip: boolean): void {
  must('tar', ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', dir, '-cf', file, '.']);
  if (gzip) {
    must('gzip', ['-6', '-n', '-k', file]);
  }
}
