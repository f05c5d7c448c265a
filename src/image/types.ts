import type { Readable } from 'node:stream';
import type { LayerBlob } from './formats.js';
import type { GcResult } from './gc.js';
import type { Platform } from './platform.js';
import type { HealthConfig } from '../api/healthcheck.js';

/** The parts of an OCI image config that change how a container runs. */
export interface ImageRunConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string>;
  StopSignal?: string;
  /** Dockerfile HEALTHCHECK (honoured for `lcctl run` pods only, as Kubernetes ignores it). */
  Healthcheck?: HealthConfig;
}

/** An image known to the node's store. */
export interface ImageRecord {
  /** Normalised references that point to it, e.g. "docker.io/library/busybox:latest". */
  names: string[];
  /** Digest of the image manifest ("sha256:..."). */
  digest: string;
  /** Digest of the image config: the image ID Docker shows. */
  id: string;
  sizeBytes: number;
  createdAt?: string;
  architecture: string;
  os: string;
  config: ImageRunConfig;
  /** Layer diff IDs, bottom-most first. */
  diffIds: string[];
}

/** A blob in the content store. */
export interface BlobInfo { digest: string; size: number }

/** What a descriptor promises about a blob: the digest and size it is verified against. */
export interface BlobExpect { digest: string; size: number }

/** An image whose manifest, config and layer blobs are in the content store (a pull), before it is named. */
export interface PulledImage {
  names: string[];
  manifestDigest: string;
  configDigest: string;
  /** The manifest's layer descriptors, bottom-most first. */
  layers: BlobExpect[];
}

/**
 * Blobs by digest (containerd's content store): manifests, configs, image indexes and layer blobs,
 * each verified before it becomes visible.
 */
export interface ContentStore {
  /** The stored blob, or undefined when it is not there. */
  info(digest: string): Promise<BlobInfo | undefined>;
  /** A whole blob (manifests, configs). */
  read(digest: string): Promise<Buffer>;
  /** A blob's bytes as a stream, from start to end (inclusive; default all); hold it with pin() while reading. */
  reader(digest: string, range?: { start: number; end?: number }): Readable;
  /** Where a download of digest is written while in progress; kept across restarts so a pull resumes. */
  ingestPath(digest: string): string;
  /** Verifies a finished download (digest and size) and moves it in; a mismatch deletes the file. Pin first. */
  commitFile(file: string, expect: BlobExpect, what: string): Promise<void>;
  /** Verifies bytes held in memory (a manifest, a config) and stores them. Pin first. */
  commitBytes(bytes: Buffer, expect: Partial<BlobExpect> & { digest: string }, what: string): Promise<void>;
  /** Deletes a blob that no image references and nothing pins; false when it was kept or absent. */
  delete(digest: string): Promise<boolean>;
  /** Calls fn for every stored blob. */
  walk(fn: (info: BlobInfo) => void | Promise<void>): Promise<void>;
  /** Holds a blob digest or a layer diff ID (its snapshot) against garbage collection until unpin (a lease). */
  pin(digest: string): void;
  /** Releases one pin(). */
  unpin(digest: string): void;
}

/** Options for removing an image. */
export interface RemoveOptions {
  /** Delete even when the image has several names (removing by ID) or a container uses its layers. */
  force?: boolean;
}

/** Names -> images (manifest and config digests), as containerd's image store. */
export interface ImageIndex {
  /** The platform picked from multi-platform archives (this node's unless the store was opened with another). */
  readonly platform: Platform;
  /** All images, including unnamed ones that lost their names to newer ones. */
  list(): Promise<ImageRecord[]>;
  /** Finds by reference ("busybox", "busybox:1", "docker.io/library/busybox:latest", "busybox@sha256:..."), ID or ID prefix. */
  resolve(ref: string): Promise<ImageRecord | undefined>;
  /** Adds a name to an image, taking it from any image that had it. */
  tag(ref: string, name: string): Promise<ImageRecord>;
  /** Untags ref; deletes the image and the blobs and snapshots no other image uses when no name is left. */
  remove(ref: string, opts?: RemoveOptions): Promise<RemovedImage>;
  /** Registers an image whose blobs are in the content store (a pull), checking and unpacking each layer. */
  add(image: PulledImage): Promise<ImageRecord>;
  /** Calls listener after every change (import, pull, build, tag, remove); returns an unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** A committed snapshot: one unpacked layer, keyed by its diff ID. */
export interface SnapshotInfo {
  diffId: string;
  /** The unpacked tree, an overlay lower dir. */
  dir: string;
}

/** What a committed snapshot costs and who uses it. */
export interface SnapshotUsage extends SnapshotInfo {
  /** Bytes of the layer's uncompressed tar (0 when no image records it). */
  sizeBytes: number;
  /** How many images list the layer; 0 means garbage collection takes it. */
  images: number;
}

/** A writable rootfs over read-only layers, mounted: a build step's or a container's. */
export interface ActiveSnapshot {
  key: string;
  /** The mounted, merged tree. */
  rootfs: string;
  /** What was written to rootfs, whiteouts in overlay form; read or move it only after unmount(key). */
  upper: string;
}

/** Unpacked layers -> prepared root filesystems (containerd's snapshotter, overlayfs underneath). */
export interface Snapshotter {
  /** An image's layer dirs for overlay lowerdir, top-most first, each once; a missing one is unpacked again. */
  layerDirs(image: ImageRecord): Promise<string[]>;
  /** The diff IDs a pulled image's config lists, one per manifest layer (checked), to pin before unpacking. */
  diffIds(image: PulledImage): Promise<string[]>;
  /**
   * Verifies layer i of a pulled image against its config's diff ID and unpacks it, decompressing the
   * blob once for both; a corrupt blob is deleted. Pin the blob and its diff ID first.
   */
  unpack(image: PulledImage, i: number): Promise<LayerBlob>;
  /** The committed snapshot of a diff ID, when it is unpacked. */
  stat(diffId: string): Promise<SnapshotInfo | undefined>;
  /** Every committed snapshot with its size and users. */
  usage(): Promise<SnapshotUsage[]>;
  /** Deletes the committed snapshots no image uses (never one a mounted overlay or a pin holds). */
  gc(): Promise<GcResult>;
  /** Mounts a writable rootfs over lowers (dirs, top-most first; [] for an empty one) under a new key. */
  prepare(key: string, lowers: string[]): Promise<ActiveSnapshot>;
  /** Unmounts an active snapshot, leaving its upper dir to read or move. */
  unmount(key: string): Promise<void>;
  /** Unmounts and deletes an active snapshot and what is left of it. */
  remove(key: string): Promise<void>;
  /** Keys of the active snapshots (e.g. what a crash left behind). */
  active(): Promise<string[]>;
}

/** What prune() deleted: the images (with the names they had) and the bytes freed. */
export interface PruneResult {
  removed: ImageRecord[];
  reclaimedBytes: number;
}

/**
 * The node's image service: a content store, an image index and a snapshotter, and the operations
 * over all three (import, save, prune, collect). The index's and snapshotter's calls most callers
 * need (list, resolve, tag, remove, layerDirs) are offered here too.
 */
export interface ImageStore {
  readonly content: ContentStore;
  readonly index: ImageIndex;
  readonly snapshots: Snapshotter;
  /** Loads a `docker save` tar or an OCI image archive; ref names the image when the archive does not. */
  importArchive(file: string, ref?: string): Promise<ImageRecord[]>;
  /** One archive (docker-save manifest.json + OCI layout) of the images refs name, streamed. */
  exportImages(refs: string[]): Promise<Readable>;
  /** Deletes unnamed images (all: every image) that keep does not hold, then everything unused. */
  prune(opts?: { all?: boolean; keep?: (image: ImageRecord) => boolean }): Promise<PruneResult>;
  /** Deletes every blob and snapshot no image references (in-use snapshots are kept). */
  gc(): Promise<GcResult>;
  list(): Promise<ImageRecord[]>;
  resolve(ref: string): Promise<ImageRecord | undefined>;
  tag(ref: string, name: string): Promise<ImageRecord>;
  remove(ref: string, opts?: RemoveOptions): Promise<RemovedImage>;
  layerDirs(image: ImageRecord): Promise<string[]>;
}

/** The image after remove(), with what docker rmi would print about it. */
export interface RemovedImage extends ImageRecord {
  /** "Untagged:" lines in Docker's familiar form ("busybox:latest", then "busybox@sha256:..." when the image went). */
  untagged: string[];
  /** "Deleted:" lines: the image ID, then the layers (diff IDs) deleted with it; [] while the image keeps a name. */
  deleted: string[];
}
