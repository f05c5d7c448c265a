/**
 * The normalised Compose model: a Compose Specification file read into one shape (short and long
 * syntaxes folded together), with every key Lantern does not carry named in `warnings`.
 */

/** A published or exposed port of a service. */
export interface ComposePort { target: number; published?: number; hostIp?: string; protocol: 'TCP' | 'UDP' }

/** A mount: a named volume (PVC), a bind mount (hostPath) or an anonymous volume (emptyDir). */
export interface ComposeMount { type: 'volume' | 'bind' | 'tmpfs'; source?: string; target: string; readOnly: boolean }

/** A config or secret a service uses, and where it lands in the container. */
export interface ComposeFileRef { source: string; target: string; mode?: number }

/** A Compose healthcheck; durations in seconds. */
export interface ComposeHealthcheck { test: string[]; interval?: number; timeout?: number; retries?: number; startPeriod?: number }

/** `deploy:` of a service. */
export interface ComposeDeploy {
  replicas?: number;
  limits?: { cpus?: string; memory?: string };
  reservations?: { cpus?: string; memory?: string };
  constraints: string[];
  updateConfig?: { parallelism?: number; order?: 'start-first' | 'stop-first' };
}

/** One service, normalised. */
export interface ComposeService {
  name: string;
  image: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  ports: ComposePort[];
  volumes: ComposeMount[];
  dependsOn: Record<string, 'service_started' | 'service_healthy' | 'service_completed_successfully'>;
  healthcheck?: ComposeHealthcheck;
  restart?: string;
  user?: string;
  workingDir?: string;
  labels: Record<string, string>;
  networks: string[];
  configs: ComposeFileRef[];
  secrets: ComposeFileRef[];
  deploy: ComposeDeploy;
}

/** Contents of a top-level config or secret (read from `file:` or given as `content:`/`environment:`). */
export interface ComposeFileSource { name: string; content: string }

/** A whole project, normalised. */
export interface ComposeProject {
  name: string;
  services: ComposeService[];
  volumes: string[];
  networks: string[];
  configs: ComposeFileSource[];
  secrets: ComposeFileSource[];
  warnings: string[];
}
