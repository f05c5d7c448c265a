import type { ImageRunConfig } from './types.js';
import { isDigest } from './digest.js';
import { archiveError } from './errors.js';
import type { Platform } from './platform.js';
import { parseJsonBounded } from '../api/bounded-parse.js';
import { parseHealthConfig } from '../api/healthcheck.js';

/** Media types the store reads and writes. */
export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
  platform?: Platform;
}

/** The parts of an image config the store keeps. */
export interface ParsedConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  config: ImageRunConfig;
  diffIds: string[];
}

/** A verified layer blob in the store. */
export interface LayerBlob {
  digest: string;
  size: number;
  mediaType: string;
  diffId: string;
  /** Bytes of the uncompressed tar. */
  unpackedSize: number;
}

/** One image read from an archive, every blob verified and stored. */
export interface ImportedImage {
  names: string[];
  manifestDigest: string;
  configDigest: string;
  config: ParsedConfig;
  layers: LayerBlob[];
}

/** Narrow a JSON value to an object or fail naming what was expected. */
export function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw archiveError(`${what} is not a JSON object`);
  return v as Record<string, unknown>;
}

/** Narrow a JSON value to an array. */
export function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw archiveError(`${what} is not a JSON list`);
  return v;
}

/** Parses bytes as JSON, naming the file when they are not. */
export function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return parseJsonBounded(bytes.toString('utf8'), what);
  } catch (e) {
    throw archiveError(`${what} is not valid JSON (${(e as Error).message})`);
  }
}

/** Validates an OCI descriptor. */
export function parseDescriptor(v: unknown, what: string): Descriptor {
  const o = asObject(v, what);
  if (!isDigest(o.digest)) throw archiveError(`${what} has no valid sha256 digest (got ${JSON.stringify(o.digest)})`);
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) throw archiveError(`${what} has no valid size`);
  const d: Descriptor = { mediaType: typeof o.mediaType === 'string' ? o.mediaType : '', digest: o.digest, size: o.size, annotations: stringMap(o.annotations) };
  if (typeof o.platform === 'object' && o.platform !== null) {
    const p = o.platform as Record<string, unknown>;
    d.platform = { os: typeof p.os === 'string' ? p.os : '', architecture: typeof p.architecture === 'string' ? p.architecture : '' };
    if (typeof p.variant === 'string') d.platform.variant = p.variant;
  }
  return d;
}

/** Validates an image config and keeps the fields a container needs. */
export function parseConfig(v: unknown, what: string): ParsedConfig {
  const o = asObject(v, what);
  const rootfs = asObject(o.rootfs, `${what}: rootfs`);
  const diffIds = asArray(rootfs.diff_ids, `${what}: rootfs.diff_ids`).map((d, i) => {
    if (!isDigest(d)) throw archiveError(`${what}: rootfs.diff_ids[${i}] is not a sha256 digest`);
    return d;
  });
  const c = o.config === undefined || o.config === null ? {} : asObject(o.config, `${what}: config`);
  const config: ImageRunConfig = {};
  const entrypoint = stringList(c.Entrypoint); if (entrypoint) config.Entrypoint = entrypoint;
  const cmd = stringList(c.Cmd); if (cmd) config.Cmd = cmd;
  const env = stringList(c.Env); if (env) config.Env = env;
  if (typeof c.WorkingDir === 'string' && c.WorkingDir) config.WorkingDir = c.WorkingDir;
  if (typeof c.User === 'string' && c.User) config.User = c.User;
  if (typeof c.StopSignal === 'string' && c.StopSignal) config.StopSignal = c.StopSignal;
  // A malformed Healthcheck is dropped rather than refusing the image: it only matters to `lcctl run`.
  if (c.Healthcheck !== undefined && c.Healthcheck !== null) { try { config.Healthcheck = parseHealthConfig(c.Healthcheck, 'Healthcheck'); } catch { /* dropped */ } }
  if (typeof c.ExposedPorts === 'object' && c.ExposedPorts !== null) {
    config.ExposedPorts = Object.fromEntries(Object.keys(c.ExposedPorts).map((k) => [k, {}]));
  }
  const labels = stringMap(c.Labels); if (Object.keys(labels).length > 0) config.Labels = labels;
  const out: ParsedConfig = {
    architecture: typeof o.architecture === 'string' ? o.architecture : '',
    os: typeof o.os === 'string' ? o.os : '',
    config,
    diffIds,
  };
  if (typeof o.variant === 'string') out.variant = o.variant;
  if (typeof o.created === 'string') out.created = o.created;
  return out;
}

/** The manifest the store writes for archives that carry none (docker save without index.json). */
export function synthesizeManifest(config: { digest: string; size: number }, layers: LayerBlob[]): Buffer {
  return Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : undefined;
}

function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
