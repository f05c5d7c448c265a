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

/** The node's content-addressable image store. */
export interface ImageStore {
  /** Load a `docker save` tar or an OCI image archive; ref names the image when the archive does not. */
  importArchive(file: string, ref?: string): Promise<ImageRecord[]>;
  list(): Promise<ImageRecord[]>;
  /** Find by reference ("busybox", "busybox:1", "docker.io/library/busybox:latest"), ID or ID prefix. */
  resolve(ref: string): Promise<ImageRecord | undefined>;
  /** Unpacked layer directories for overlay lowerdir, top-most first. */
  layerDirs(image: ImageRecord): Promise<string[]>;
  /** Untag ref; delete the image and unused blobs/snapshots when no name is left. */
  remove(ref: string): Promise<RemovedImage>;
}

/** The image after remove(), with what docker rmi would print about it. */
export interface RemovedImage extends ImageRecord {
  /** "Untagged:" lines in Docker's familiar form ("busybox:latest", then "busybox@sha256:..." when the image went). */
  untagged: string[];
  /** "Deleted:" lines: the image ID, then the layers (diff IDs) deleted with it; [] while the image keeps a name. */
  deleted: string[];
}
