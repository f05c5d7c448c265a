import type { RegistryAuth } from '../../api/registry-auth.js';

/** One progress report of a pull or push, per layer (Docker's JSON message shape). */
export interface TransferProgress {
  /** Blob digest the report is about; absent for whole-image messages. */
  layer?: string;
  /** "Resolving", "Waiting", "Downloading", "Verifying", "Download complete", "Already exists", "Extracting", "Pull complete", "Pushing", "Mounted", "Pushed", "Layer already exists". */
  status: string;
  current?: number;
  total?: number;
}

/** Settings shared by pull and push. */
export interface TransferOptions {
  /** Credentials for the registry (Basic, or exchanged for a Bearer token). */
  auth?: RegistryAuth;
  onProgress?: (p: TransferProgress) => void;
  /** Registries (host or host:port) that may be reached over plain HTTP. */
  insecureRegistries?: readonly string[];
  /** PEM CA to trust for REF's registry (the cluster CA for the server's built-in registry). */
  ca?: string;
  /** REF's registry speaks this scheme (the server's registry, whose scheme the node knows): no fallback. */
  scheme?: 'http' | 'https';
  /** Parallel blob transfers (default 3). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Chunk size when a registry refuses a blob in one request (413) and push falls back to PATCH chunks. */
  chunkSize?: number;
}
