// Test-only: the store the save, remove and remove-report tests start from: two images sharing a layer.
import { after, before } from 'node:test';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, tarDir, tempDir, writeOciArchive, type WrittenImage } from './fixtures.js';

/** A temp dir (remove it with fixtures.cleanup) holding pair.tar: a:1 = [base], b:1 = [base, extra], sharing the base blob. */
export interface PairFixture {
  dir: string;
  /** The OCI archive of both images. */
  pair: string;
  /** a, then b, as written. */
  written: WrittenImage[];
}

/** Writes the two layers and the archive of both images under a fresh temp dir. */
export async function pairFixture(prefix: string): Promise<PairFixture> {
  const dir = await tempDir(prefix);
  for (const name of ['base', 'extra']) {
    await mkdir(join(dir, name, 'etc'), { recursive: true });
    await writeFile(join(dir, name, 'etc', `${name}.txt`), name);
    await tarDir(join(dir, name), join(dir, `${name}.tar`));
  }
  const pair = join(dir, 'pair.tar');
  const written = await writeOciArchive(pair, [
    { name: 'docker.io/library/a:1', layers: [join(dir, 'base.tar')], cmd: ['a'] },
    { name: 'docker.io/library/b:1', layers: [join(dir, 'base.tar'), join(dir, 'extra.tar')], cmd: ['b'] },
  ], dir);
  return { dir, pair, written };
}

/** The fixture for the enclosing describe(): made in its before(), removed (unmounting first) in its after(). */
export function usePairFixture(prefix: string): PairFixture {
  const f: PairFixture = { dir: '', pair: '', written: [] };
  before(async () => { Object.assign(f, await pairFixture(prefix)); });
  after(async () => { await cleanup(f.dir); });
  return f;
}

/** The hex part of a sha256 digest (the file name under blobs/ and snapshots/). */
export const hex = (d: string): string => d.slice(7);

/** File names under a store's blobs/sha256, sorted. */
export async function blobsIn(root: string): Promise<string[]> {
  return (await readdir(join(root, 'blobs/sha256'))).sort();
}

/** Entries of a store's snapshots/, sorted. */
export async function snapshotsIn(root: string): Promise<string[]> {
  return (await readdir(join(root, 'snapshots'))).sort();
}
