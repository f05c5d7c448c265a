// Helpers for the image store tests: build real archives with GNU tar, in OCI and docker-save form.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ociArch } from './platform.js';

const exec = promisify(execFile);

/** A fresh temp dir; remove it with cleanup(). */
export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `lantern-image-${prefix}-`));
}

/** Removes a temp dir, unmounting anything a failed test left mounted inside it. */
export async function cleanup(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dir}/`));
  for (const m of mounts.reverse()) await exec('umount', ['-l', m]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}

/** Runs scripts/make-busybox-image.mjs (compiled tests live in dist/src/image). */
export async function makeBusyboxArchive(out: string): Promise<void> {
  const script = fileURLToPath(new URL('../../../scripts/make-busybox-image.mjs', import.meta.url));
  await exec(process.execPath, [script, out]);
}

/** Creates a deterministic tar of srcDir's contents. */
export async function tarDir(srcDir: string, out: string): Promise<void> {
  const top = (await readdir(srcDir)).sort();
  await exec('tar', ['-c', '-f', out, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=posix', '-C', srcDir, ...top]);
}

/** Extracts an archive. */
export async function untar(file: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  await exec('tar', ['-x', '-f', file, '-C', dest]);
}

/** "sha256:<hex>" of bytes. */
export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** An image to write into a test archive; layers are paths of uncompressed tars, bottom first. */
export interface TestImage {
  name?: string;
  layers: string[];
  cmd?: string[];
  arch?: string;
}

/** Digests of what was written. */
export interface WrittenImage {
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
}

type Put = (bytes: Buffer) => Promise<{ digest: string; size: number }>;

async function ociLayout(work: string): Promise<{ dir: string; put: Put }> {
  const dir = await mkdtemp(join(work, 'oci-'));
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put: Put = async (bytes) => {
    const digest = digestOf(bytes);
    await writeFile(join(blobs, digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  return { dir, put };
}

async function putImage(put: Put, img: TestImage): Promise<WrittenImage & { manifestSize: number }> {
  const tars = await Promise.all(img.layers.map((l) => readFile(l)));
  const diffIds = tars.map(digestOf);
  const layers = await Promise.all(tars.map((t) => put(gzipSync(t))));
  const config = await put(configJson(img, diffIds));
  const manifest = await put(Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
  })));
  return { manifestDigest: manifest.digest, manifestSize: manifest.size, configDigest: config.digest, layerDigests: layers.map((l) => l.digest), diffIds };
}

async function finishLayout(dir: string, out: string, manifests: unknown[]): Promise<void> {
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await tarDir(dir, out);
}

/** Writes an OCI image-layout archive with gzip layers and io.containerd.image.name annotations. */
export async function writeOciArchive(out: string, images: TestImage[], work: string): Promise<WrittenImage[]> {
  const { dir, put } = await ociLayout(work);
  const written: WrittenImage[] = [];
  const descriptors: unknown[] = [];
  for (const img of images) {
    const w = await putImage(put, img);
    descriptors.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: w.manifestDigest, size: w.manifestSize, annotations: img.name ? { 'io.containerd.image.name': img.name } : {} });
    written.push(w);
  }
  await finishLayout(dir, out, descriptors);
  return written;
}

/**
 * Writes a multi-platform OCI archive: index.json -> image index -> one manifest per image (by arch).
 * Only images with `arch` equal to `keepArch` get their blobs written, as when one platform was exported.
 */
export async function writeMultiPlatformArchive(out: string, name: string, images: TestImage[], keepArch: string, work: string): Promise<WrittenImage[]> {
  const { dir, put } = await ociLayout(work);
  const skip: Put = (bytes) => Promise.resolve({ digest: digestOf(bytes), size: bytes.length });
  const written: WrittenImage[] = [];
  const children: unknown[] = [];
  for (const img of images) {
    const w = await putImage(img.arch === keepArch ? put : skip, img);
    children.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: w.manifestDigest, size: w.manifestSize, platform: { os: 'linux', architecture: img.arch } });
    written.push(w);
  }
  const index = await put(Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: children })));
  await finishLayout(dir, out, [{ mediaType: 'application/vnd.oci.image.index.v1+json', ...index, annotations: { 'io.containerd.image.name': name } }]);
  return written;
}

/**
 * Writes an old-style `docker save` archive: "<hex>.json" configs and "<id>/layer.tar" uncompressed
 * layers; a layer shared with an earlier image is a symlink to the earlier layer.tar, as Docker did.
 */
export async function writeLegacyDockerArchive(out: string, images: TestImage[], work: string): Promise<WrittenImage[]> {
  const dir = await mkdtemp(join(work, 'docker-'));
  const seen = new Map<string, string>();
  const manifest: unknown[] = [];
  const written: WrittenImage[] = [];
  for (const [n, img] of images.entries()) {
    const tars = await Promise.all(img.layers.map((l) => readFile(l)));
    const diffIds = tars.map(digestOf);
    const paths: string[] = [];
    for (const [i, tar] of tars.entries()) {
      const id = digestOf(Buffer.from(`${n}/${i}/${diffIds[i]}`)).slice(7);
      await mkdir(join(dir, id));
      const first = seen.get(diffIds[i] ?? '');
      if (first) await symlink(`../${first}/layer.tar`, join(dir, id, 'layer.tar'));
      else await writeFile(join(dir, id, 'layer.tar'), tar);
      if (!first) seen.set(diffIds[i] ?? '', id);
      paths.push(`${id}/layer.tar`);
    }
    const config = configJson(img, diffIds);
    const configDigest = digestOf(config);
    await writeFile(join(dir, `${configDigest.slice(7)}.json`), config);
    manifest.push({ Config: `${configDigest.slice(7)}.json`, RepoTags: img.name ? [img.name] : null, Layers: paths });
    written.push({ manifestDigest: '', configDigest, layerDigests: diffIds, diffIds });
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  await tarDir(dir, out);
  return written;
}

function configJson(img: TestImage, diffIds: string[]): Buffer {
  return Buffer.from(JSON.stringify({
    architecture: img.arch ?? ociArch(),
    os: 'linux',
    config: { Cmd: img.cmd ?? ['sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
  }));
}
