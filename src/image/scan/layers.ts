/**
 * The files the scanner needs from an image archive (docker save or OCI layout tar, as `lcctl save`
 * writes it), read layer by layer bottom-up with whiteouts applied as overlayfs would: the merged view.
 */
import { spawn } from 'node:child_process';
import { posix } from 'node:path';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { TarArchive } from '../archive.js';
import { asArray, asObject, parseDescriptor, parseJson } from '../formats.js';
import { nodePlatform, platformMatches } from '../platform.js';
import { walkTar } from './tar-stream.js';

/** The merged files that matter, by path (no leading slash), plus the image's ID and names. */
export interface ImageFiles { files: Map<string, Buffer>; imageId?: string; names: string[]; layers: number }

const EXACT = new Set([
  'var/lib/dpkg/status', 'lib/apk/db/installed', 'var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'var/lib/rpm/Packages', 'etc/os-release', 'usr/lib/os-release', 'etc/alpine-release', 'etc/debian_version', 'etc/redhat-release',
]);
/** The language manifests read, by file name. */
export const LOCK_FILES = new Set(['package-lock.json', 'requirements.txt', 'poetry.lock', 'go.sum', 'Cargo.lock']);
const MAX_FILE = 256 << 20;

/** Whether a path inside the image is one the scanner reads. */
export function wanted(path: string): boolean {
  if (EXACT.has(path)) return true;
  if (path.startsWith('var/lib/dpkg/status.d/') && !path.endsWith('.md5sums')) return true;
  return LOCK_FILES.has(posix.basename(path));
}

// Layers may be plain, gzip or zstd tars: decided by their first bytes, never by name.
async function* decompressed(stream: Readable): AsyncGenerator<Buffer> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  if (first.done) return;
  const head = first.value;
  const rest = (async function* () { yield head; for (;;) { const n = await it.next(); if (n.done) return; yield n.value; } })();
  if (head[0] === 0x1f && head[1] === 0x8b) { yield* pipeThrough(rest, createGunzip()); return; }
  if (head.readUInt32LE(0) === 0xfd2fb528) {
    const child = spawn('zstd', ['-dcq'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const out = new PassThrough();
    child.stdout.pipe(out);
    child.on('error', (e) => out.destroy(new Error(`zstd: ${e.message} (install zstd to scan zstd-compressed layers)`)));
    void (async () => { for await (const c of rest) if (!child.stdin.write(c)) await new Promise((r) => child.stdin.once('drain', r)); child.stdin.end(); })().catch((e: unknown) => out.destroy(e as Error));
    yield* out as AsyncIterable<Buffer>;
    return;
  }
  yield* rest;
}

function pipeThrough(src: AsyncIterable<Buffer>, t: Transform): AsyncIterable<Buffer> {
  void (async () => { for await (const c of src) if (!t.write(c)) await new Promise((r) => t.once('drain', r)); t.end(); })().catch((e: unknown) => t.destroy(e as Error));
  return t as AsyncIterable<Buffer>;
}

/** Applies one layer onto the merged files: its whiteouts and replaced paths first, then its own files. */
async function applyLayer(files: Map<string, Buffer>, stream: AsyncIterable<Buffer>, label: string): Promise<void> {
  const gone: string[] = [];
  const replaced: string[] = [];
  const opaque: string[] = [];
  const added = new Map<string, Buffer>();
  const links: Array<[string, string]> = [];
  await walkTar(stream, label, (m) => {
    const base = posix.basename(m.name);
    const dir = posix.dirname(m.name);
    if (base === '.wh..wh..opq') { opaque.push(dir); return false; }
    if (base.startsWith('.wh.')) { gone.push(dir === '.' ? base.slice(4) : `${dir}/${base.slice(4)}`); return false; }
    if ((m.type === '0' || m.type === '7') && wanted(m.name) && m.size <= MAX_FILE) return true;
    if (m.type === '1' && wanted(m.name)) links.push([m.name, posix.normalize(m.linkname).replace(/^\/+/, '')]);
    else replaced.push(m.name); // a directory, link or device where a file was hides that file (not what is under it)
    return false;
  }, (m, data) => { added.set(m.name, data); });
  for (const d of opaque) for (const k of [...files.keys()]) if (d === '.' || k.startsWith(`${d}/`)) files.delete(k);
  for (const g of gone) for (const k of [...files.keys()]) if (k === g || k.startsWith(`${g}/`)) files.delete(k);
  for (const r of replaced) files.delete(r);
  for (const [k, v] of added) files.set(k, v);
  for (const [k, target] of links) { const v = added.get(target) ?? files.get(target); if (v) files.set(k, v); }
}

// Layer member paths bottom-first: docker save's manifest.json, else the OCI index for this platform.
async function layerPaths(archive: TarArchive): Promise<{ layers: string[]; imageId?: string; names: string[] }> {
  if (archive.has('manifest.json')) {
    const list = asArray(parseJson(await archive.read('manifest.json', 'docker save manifest'), 'manifest.json'), 'manifest.json');
    const first = asObject(list[0], 'manifest.json[0]');
    const layers = asArray(first.Layers, 'manifest.json[0].Layers').map(String);
    const cfg = typeof first.Config === 'string' ? /([a-f0-9]{64})(?:\.json)?$/.exec(first.Config)?.[1] : undefined;
    const names = Array.isArray(first.RepoTags) ? first.RepoTags.map(String) : [];
    return { layers, names, ...(cfg ? { imageId: `sha256:${cfg}` } : {}) };
  }
  const blob = (d: string): string => `blobs/${d.replace(':', '/')}`;
  let doc = asObject(parseJson(await archive.read('index.json', 'OCI index'), 'index.json'), 'index.json');
  for (let depth = 0; Array.isArray(doc.manifests); depth++) {
    if (depth > 4) throw new Error('image indexes nest too deeply');
    const ds = doc.manifests.map((d, i) => parseDescriptor(d, `manifests[${i}]`));
    const pick = ds.find((d) => d.platform && platformMatches(d.platform, nodePlatform())) ?? ds.find((d) => !d.platform) ?? ds[0];
    if (!pick) throw new Error('the OCI index lists no manifests');
    doc = asObject(parseJson(await archive.read(blob(pick.digest), 'manifest'), pick.digest), pick.digest);
  }
  const cfg = parseDescriptor(doc.config, 'config');
  const layers = asArray(doc.layers, 'layers').map((d, i) => blob(parseDescriptor(d, `layers[${i}]`).digest));
  return { layers, names: [], imageId: cfg.digest };
}

/** Merges the scanner files of layers given bottom-first as streams (plain, gzip or zstd): a registry's stored blobs. */
export async function readLayerFiles(layers: ReadonlyArray<{ open: () => Readable; label: string }>): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const l of layers) await applyLayer(files, decompressed(l.open()), l.label);
  return files;
}

/** Reads the merged scanner files of the (first) image in an archive; `workDir` holds a gunzipped copy if needed. */
export async function readImageFiles(file: string, workDir: string): Promise<ImageFiles> {
  const archive = await TarArchive.open(file, workDir);
  const { layers, imageId, names } = await layerPaths(archive);
  const files = new Map<string, Buffer>();
  for (const [i, path] of layers.entries()) {
    const label = `layer ${i + 1} (${path}) of ${file}`;
    await applyLayer(files, decompressed(archive.stream(archive.member(path, `layer ${i + 1}`))), label);
  }
  return { files, names, layers: layers.length, ...(imageId ? { imageId } : {}) };
}
