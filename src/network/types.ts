/** A port published on the host and forwarded to the pod (docker -p). */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostIP?: string;
}

/** The result of attaching a pod to the network. */
export interface PodNetwork {
  /** Path of the pod's network namespace (bind mount under /var/run/netns). */
  netnsPath: string;
  ip?: string;
  gateway?: string;
}

/** The narrow interface over pod networking. The real one runs the standard CNI plugins. */
export interface NetworkPlugin {
  /** Create the pod's network namespace and attach it ('none' gives loopback only). */
  setUp(podId: string, mode: 'bridge' | 'none', ports: PortMapping[], onNamespace?: (netnsPath: string) => void): Promise<PodNetwork>;
  /** Detach and delete the namespace; safe to call twice. */
  tearDown(podId: string, ports: PortMapping[]): Promise<void>;
  /** The existing namespace of a pod after an agent restart, if it is still there. */
  existing(podId: string): Promise<PodNetwork | undefined>;
  /** Optional (added): verify the pod's attachment is still intact (CNI CHECK); throws when it is not. */
  check?(podId: string): Promise<void>;
  /** Optional (added): ids of the pods with network state, for cleanup after an agent restart. */
  list?(): Promise<string[]>;
}
