import type { HealthConfig } from './healthcheck.js';

/** `docker image inspect`'s JSON for one image (the fields Lantern knows). */
export interface ImageInspect {
  /** The config digest ("sha256:..."), Docker's image ID. */
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  /** Lantern's: the built-in registry's last scan on push of this image (lanternd server --scan-on-push), when there is one. */
  LanternScan?: Record<string, unknown>;
  Created: string;
  Architecture: string;
  Os: string;
  Config: {
    Env: string[] | null;
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    WorkingDir: string;
    User: string;
    ExposedPorts: Record<string, object> | null;
    Labels: Record<string, string> | null;
    StopSignal?: string;
    Healthcheck?: HealthConfig;
  };
  RootFS: { Type: 'layers'; Layers: string[] };
  /** Bytes of the unpacked layers. */
  Size: number;
  /** Digest of the image manifest. */
  Digest: string;
  /** The node that holds it. */
  Node: string;
}

/** One entry of `image prune`'s report, as Docker prints it. */
export interface ImageDeleteEntry {
  Untagged?: string;
  Deleted?: string;
}

/** What `image prune` removed on a node. */
export interface ImagePruneReport {
  ImagesDeleted: ImageDeleteEntry[];
  SpaceReclaimed: number;
}
