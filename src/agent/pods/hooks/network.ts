/**
 * The network hook: the pod's network namespace and CNI attachment, once per pod. Containers are
 * created as soon as the namespace exists (milliseconds) while the plugins still run, and started
 * only once the network is up (PodNet.ready). Published ports are freed before the object goes, so
 * a new pod may take them at once; the rest of the teardown comes after.
 */
import { Annotations, type Pod } from '../../../api/pod.js';
import { NetworkAnnotations } from '../../../api/user-networks.js';
import type { NetworkPlugin, PortMapping } from '../../../network/types.js';
import type { HookResult, PodHook, PodRun } from '../pod-hook.js';

/** The ports a pod publishes on the host (-p). */
export function podPorts(pod: Pod): PortMapping[] {
  return pod.spec.containers.flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort !== undefined).map((p) => ({
    hostPort: p.hostPort!,
    containerPort: p.containerPort,
    protocol: (p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp',
    hostIP: p.hostIP,
  })));
}

/** True for a pod on the host's network (no namespace of its own). */
export const usesHostNetwork = (pod: Pod): boolean => pod.spec.hostNetwork === true || pod.spec.networkMode === 'host';

/** True when the user stopped the pod (lcctl stop): nothing is set up for it. */
const stoppedByUser = (pod: Pod): boolean => pod.metadata.annotations?.[Annotations.runState] === 'stopped';

/** A pod whose primary network is a user network gets only loopback here; the user-networks hook gives it eth0. */
const defaultMode = (pod: Pod): 'bridge' | 'none' =>
  pod.spec.networkMode === 'none' || pod.metadata.annotations?.[NetworkAnnotations.primary] !== undefined ? 'none' : 'bridge';

/** The network hook of one pod. */
export class NetworkHook implements PodHook {
  readonly name = 'network';
  /** Set once the plugins are done. */
  private up = false;
  /** Resolves with the namespace path as soon as it exists (before the plugins finish). */
  private namespaceReady: Promise<string | undefined> = Promise.resolve(undefined);

  constructor(private readonly network: NetworkPlugin, private readonly trace = false) {}

  async prestart(run: PodRun): Promise<HookResult> {
    const pod = run.pod;
    if (usesHostNetwork(pod)) { run.net.netns = 'host'; return undefined; }
    if (this.up || stoppedByUser(pod)) return undefined;
    const t0 = performance.now();
    run.net.ready ??= this.setUp(run).then((ok) => { if (!ok) run.net.ready = undefined; return ok; });
    const ready = run.net.ready;
    run.net.netns = await Promise.race([this.namespaceReady, ready.then(() => run.net.netns)]);
    if (!run.net.netns) { run.net.ready = undefined; return { retryInMs: 5000 }; }
    if (this.trace) run.log(`trace ${pod.metadata.name} netns +${(performance.now() - t0).toFixed(1)}ms`);
    return undefined;
  }

  private async setUp(run: PodRun): Promise<boolean> {
    const pod = run.pod;
    let announce: (path: string | undefined) => void = () => undefined;
    this.namespaceReady = new Promise((resolve) => { announce = resolve; });
    try {
      const net = await this.network.existing(run.uid)
        ?? await this.network.setUp(run.uid, defaultMode(pod), podPorts(pod), (path) => announce(path));
      run.net.netns = net.netnsPath;
      run.net.ip = net.ip;
      this.up = true;
      announce(net.netnsPath);
      return true;
    } catch (e) {
      announce(undefined);
      const message = `failed to set up the pod network: ${(e as Error).message}`;
      for (const c of pod.spec.containers) run.slotFor(c.name).waiting = { reason: 'CreateContainerError', message };
      run.later(5000);
      return false;
    }
  }

  /** Published ports go before the object does, so a new pod may take them at once. */
  async killed(run: PodRun): Promise<void> {
    const ports = podPorts(run.pod);
    if (ports.length > 0 && !usesHostNetwork(run.pod)) await this.tearDown(run, ports);
  }

  async poststop(run: PodRun): Promise<void> {
    if (podPorts(run.pod).length === 0 && !usesHostNetwork(run.pod)) await this.tearDown(run, []);
  }

  private async tearDown(run: PodRun, ports: PortMapping[]): Promise<void> {
    await this.network.tearDown(run.uid, ports).catch((e: unknown) => run.log(`pod ${run.pod.metadata.name}: network teardown: ${String(e)}`));
  }
}
