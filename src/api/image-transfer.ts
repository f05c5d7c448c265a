/** What pull, push and tag of node images take and report (NodeServices, the HTTP API and lcctl share it). */
import type { RegistryAuth } from './registry-auth.js';

/** One progress message, per layer or for the whole image; sent to lcctl as a line of JSON. */
export interface ImageProgress {
  /** Blob digest; absent for whole-image messages. */
  layer?: string;
  status: string;
  current?: number;
  total?: number;
}

/** Options of NodeServices.pullImage. */
export interface ImagePullOptions {
  /** "linux/arm64", "linux/arm/v7"; default the node's own. */
  platform?: string;
  auth?: RegistryAuth;
  onProgress?: (p: ImageProgress) => void;
  signal?: AbortSignal;
}

/** Options of NodeServices.pushImage. */
export interface ImagePushOptions {
  auth?: RegistryAuth;
  onProgress?: (p: ImageProgress) => void;
  signal?: AbortSignal;
}

/** What a push wrote. */
export interface ImagePushResult {
  node: string;
  /** The full reference pushed, "localhost:5000/lt/busybox:1". */
  name: string;
  tag: string;
  /** Digest of the manifest in the registry. */
  digest: string;
  size: number;
}
