import type { Duplex, Readable, Writable } from 'node:stream';
import type { ImagePullOptions, ImagePushOptions, ImagePushResult } from './image-transfer.js';
import type { ImageInspect, ImagePruneReport } from './image-inspect.js';
import type { BuildNetworkMode } from './build-network.js';

/** Options of a pod's log read (GET .../pods/NAME/log). */
export interface LogOptions {
  container?: string;
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  /** Only one stream (Kubernetes' PodLogOptions.stream); default All. */
  stream?: 'All' | 'Stdout' | 'Stderr';
  /** Read the previous (restarted) instance of the container. */
  previous?: boolean;
}

/** Options of an exec in a pod's container. */
export interface PodExecOptions {
  container?: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
  env?: string[];
  /** uid[:gid] or a user name from the image's /etc/passwd. */
  user?: string;
  workingDir?: string;
  size?: { cols: number; rows: number };
}

/** Options of an attach to a container's main process (docker run -it / docker attach). */
export interface PodAttachOptions {
  container?: string;
  stdin: boolean;
  tty: boolean;
  size?: { cols: number; rows: number };
}

/** A running exec as the API relays it. */
export interface PodExecSession {
  stdin?: Writable;
  stdout: Readable;
  stderr?: Readable;
  resize(size: { cols: number; rows: number }): void;
  exit: Promise<number>;
  kill(): void;
}

/** CPU and memory of one container, for `lcctl stats`. */
export interface ContainerUsage {
  container: string;
  cpuUsageNanos: number;
  memoryUsageBytes: number;
  memoryWorkingSetBytes: number;
  memoryLimitBytes?: number;
  pids: number;
  timestamp: number;
}

/** An image held by a node, as the API shows it. */
export interface ImageSummary {
  node: string;
  names: string[];
  id: string;
  digest: string;
  sizeBytes: number;
  createdAt?: string;
  architecture: string;
  os: string;
}

/** What removing an image name did, as docker rmi reports it (absent on older nodes: names alone tell). */
export interface ImageRemoval extends ImageSummary {
  /** "Untagged: X" lines: the name taken off ("busybox:latest"), and "busybox@sha256:..." when the image went. */
  untagged?: string[];
  /** "Deleted: X" lines: the image ID, then the layers deleted with it; none while the image keeps a name. */
  deleted?: string[];
}

/** Options of an image build (lcctl build). */
export interface ImageBuildOptions {
  tag?: string;
  /** Dockerfile path inside the context (default "Dockerfile"). */
  dockerfile?: string;
  target?: string;
  buildArgs: Record<string, string>;
  noCache: boolean;
  /** os/arch[/variant] to build for; only the node's own platform (RUN needs no emulation then). */
  platform?: string;
  /** --network: what RUN steps are attached to (absent: default, the node's pod network). */
  network?: BuildNetworkMode;
}

/**
 * What the API server asks of a node's agent beyond the object API: logs, exec, stats and images.
 * The server's own agent implements it in process; a remote agent serves it over the connection it
 * dialled to the server.
 */
export interface NodeServices {
  podLogs(namespace: string, pod: string, opts: LogOptions, signal: AbortSignal): Promise<Readable>;
  podExec(namespace: string, pod: string, opts: PodExecOptions): Promise<PodExecSession>;
  /** Connect to the main process; exit resolves with its exit code once it ends. */
  podAttach(namespace: string, pod: string, opts: PodAttachOptions): Promise<PodExecSession>;
  podStats(namespace: string, pod: string): Promise<ContainerUsage[]>;
  /**
   * A TCP connection to a port of the pod (port-forward), once it is established: bytes both ways,
   * end() half-closes, destroy() drops it. Rejects with an ApiError when it cannot connect.
   */
  podPortForward(namespace: string, pod: string, port: number): Promise<Duplex>;
  listImages(): Promise<ImageSummary[]>;
  importImage(archive: Readable, ref?: string): Promise<ImageSummary[]>;
  removeImage(ref: string): Promise<ImageRemoval>;
  /** Pull REF from its registry into the node's store (progress per layer through opts.onProgress). */
  pullImage(ref: string, opts: ImagePullOptions): Promise<ImageSummary>;
  /** Push the image named REF to its registry. */
  pushImage(ref: string, opts: ImagePushOptions): Promise<ImagePushResult>;
  /** Name the image SOURCE also TARGET (docker tag). */
  tagImage(source: string, target: string): Promise<ImageSummary>;
  /** docker image inspect: Docker's JSON for REF (NotFound "No such image: REF"); absent on older nodes. */
  inspectImage?(ref: string): Promise<ImageInspect>;
  /** docker save: one archive (docker-save manifest.json + OCI layout) of the images REFS name, streamed. */
  exportImages?(refs: string[]): Promise<Readable>;
  /** docker image prune: delete unnamed images (all: every unused one) and the blobs and layers no image uses. */
  pruneImages?(opts: { all: boolean }): Promise<ImagePruneReport>;
  /** The node's Prometheus metrics (cAdvisor's container series and machine totals) as exposition text; absent on older nodes. */
  nodeMetrics?(): Promise<string>;
  /** Build an image from a context tar (lcctl build), streaming progress text; absent where the node has no builder. */
  buildImage?(context: Readable, opts: ImageBuildOptions, progress: (text: string) => void): Promise<ImageSummary>;
}
