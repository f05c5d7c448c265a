/**
 * The DNS hook: each container's /etc/resolv.conf by the pod's dnsPolicy (agent/dns/pod-dns-config.ts).
 * Cluster-first pods get the node DNS, which listens on the pod bridge's gateway: it exists on every
 * node and keeps answering when the node is cut off. That address is learned from a pod's network
 * once it is up (the bridge's range comes from the node's podCIDR); until then the first container
 * waits for its pod's network, later ones use the known address while their plugins still run.
 */
import type { NetworkPlugin } from '../../../network/types.js';
import type { UserNetworks } from '../../../network/user/user-networks.js';
import { ContainerConfigError } from '../../container/container-config.js';
import type { NodeDns } from '../../dns/node-dns.js';
import { podDnsConfig, usesClusterDns } from '../../dns/pod-dns-config.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';

/** The DNS hook of one pod. */
export class DnsHook implements PodHook {
  readonly name = 'dns';
  /** This pod's gateway was seen and listened on (once per pod). */
  private checked = false;

  /** dns: the node's DNS (absent: switched off, every pod gets the node's resolvers as Default). */
  constructor(private readonly dns: NodeDns | undefined, private readonly network: NetworkPlugin, private readonly userNetworks?: UserNetworks) {}

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    const pod = run.pod;
    if (pod.spec.dnsPolicy === 'None' && !pod.spec.dnsConfig?.nameservers?.length) {
      throw new ContainerConfigError('dnsPolicy is None but spec.dnsConfig.nameservers is empty: name at least one nameserver, or use dnsPolicy ClusterFirst');
    }
    if (!this.dns) {
      if (pod.spec.dnsConfig || pod.spec.dnsPolicy === 'None') plan.dns = podDnsConfig(pod, { nameservers: [], searches: [], options: [] }, 'cluster.local', undefined);
      return undefined;
    }
    let address: string | undefined;
    if (usesClusterDns(pod)) {
      address = await this.userBridgeGateway(run) ?? this.dns.address;
      if (!address && run.net.ready && await run.net.ready) address = await this.learn(run);
    }
    plan.dns = podDnsConfig(pod, this.dns.hostResolvConf, this.dns.domain, address);
    return undefined;
  }

  /** Every sync: once the pod's network is up, make sure the server listens on its gateway (after an agent restart too). */
  async update(run: PodRun): Promise<void> {
    if (this.checked || !this.dns || !run.net.ip) return;
    this.checked = true;
    await this.learn(run);
  }

  /**
   * A pod whose eth0 is on a user bridge network asks the node DNS on that bridge's gateway (a host
   * address, as Docker's 127.0.0.11 is the container's own): reachable whatever the isolation rules
   * forward, present on a node that never ran a default-network pod, and the query's source is the
   * pod's address on that network, by which its peers' names are answered. Macvlan and other
   * drivers' gateways are not the host: those pods keep the default bridge's address.
   */
  private async userBridgeGateway(run: PodRun): Promise<string | undefined> {
    if (!this.userNetworks || !this.dns) return undefined;
    const eth0 = (await this.userNetworks.attached(run.uid).catch(() => [])).find((a) => a.ifName === 'eth0');
    const gw = eth0?.driver === 'bridge' ? eth0.result?.ips?.[0]?.gateway : undefined;
    if (!gw) return undefined;
    return (await this.dns.listenOn(gw)) ? gw : undefined;
  }

  /** The pod's gateway, listened on; undefined for a pod without one or when listening failed. */
  private async learn(run: PodRun): Promise<string | undefined> {
    const net = await this.network.existing(run.uid).catch(() => undefined);
    const gw = net?.gateway;
    if (!gw || !this.dns) return undefined;
    return (await this.dns.listenOn(gw)) ? gw : undefined;
  }
}
