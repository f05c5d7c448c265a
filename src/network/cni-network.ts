import { join } from 'node:path';
import { ApiError } from '../api/errors.js';
import { addList, checkList, delList } from './cni-chain.js';
import { bridgeList, loopbackList, podAddress, portMappingsArg, resultFromNetns } from './cni-config.js';
import type { CniRuntime } from './cni-types.js';
import { assertSubnetFree, ensureSysctl } from './host.js';
import { ensureBridgeForwarding, sweepNatRules } from './iptables.js';
import { createNetns, deleteNetns, netnsExists, netnsPath, podKey } from './netns.js';
import { resolveOptions, type CniNetworkOptions, type ResolvedOptions } from './options.js';
import { portLabel, validatePorts } from './ports.js';
import { assertPortsFree } from './port-guard.js';
import { PodStore, type Attachment, type PodRecord } from './state.js';
import type { NetworkPlugin, PodNetwork, PortMapping } from './types.js';

/** Queues per stateDir and pod key: one pod's setUp and tearDown never overlap within this process. */
const queues = new Map<string, Promise<unknown>>();

/** Pod networking on the standard CNI plugins: a named netns per pod, loopback, bridge+firewall+portmap. */
export class CniNetwork implements NetworkPlugin {
  /** The options in force, defaults applied. */
  readonly options: ResolvedOptions;
  private readonly store: PodStore;
  /** The subnet and forwarding checks passed once; they need not run for every pod. */
  private hostReady = false;

  constructor(options: CniNetworkOptions) {
    this.options = resolveOptions(options);
    this.store = new PodStore(this.options.stateDir);
  }

  /** Creates the pod's namespace and attaches it; returns the saved attachment if it is already up as asked. */
  async setUp(podId: string, mode: 'bridge' | 'none', ports: PortMapping[], onNamespace?: (netnsPath: string) => void): Promise<PodNetwork> {
    checkPodId(podId);
    if (mode !== 'bridge' && mode !== 'none') {
      throw new ApiError('Invalid', `network mode "${String(mode)}" is not supported; use "bridge" or "none"`);
    }
    const wanted = validatePorts(ports);
    if (mode === 'none' && wanted.length > 0) {
      throw new ApiError('Invalid', `pod "${podId}" publishes ports but its network mode is "none" (loopback only); use bridge mode`);
    }
    return this.serialize(podKey(podId), () => this.attach(podId, mode, wanted, onNamespace));
  }

  /** Runs DEL for everything the pod was given and deletes its namespace; a no-op when there is nothing left. */
  async tearDown(podId: string, ports: PortMapping[]): Promise<void> {
    checkPodId(podId);
    await this.serialize(podKey(podId), async () => {
      const key = podKey(podId);
      const rec = await this.store.read(key);
      if (rec) return rec.podId === podId ? this.release(rec) : undefined;
      const netns = this.options.netnsPrefix + key;
      if (!(await netnsExists(netns))) return;
      // The record is lost but the namespace is there: DEL with today's config, the caller's ports and
      // a result rebuilt from eth0 (the firewall plugin removes nothing without the pod's address).
      let known: PortMapping[] = [];
      try { known = validatePorts(ports); } catch { /* DEL without them still frees the address */ }
      const guess = this.newRecord(podId, 'bridge', known);
      if (guess.bridge) guess.bridge.result = await resultFromNetns(netns, guess.netnsPath);
      await this.release(guess);
    });
  }

  /** The pod's saved attachment when its namespace still exists (after an agent restart too). */
  async existing(podId: string): Promise<PodNetwork | undefined> {
    const rec = await this.store.read(podKey(podId));
    if (!rec || rec.podId !== podId || rec.phase !== 'ready') return undefined;
    return (await netnsExists(rec.netns)) ? view(rec) : undefined;
  }

  /** CNI CHECK: throws when the pod's interfaces, addresses or iptables rules are no longer as ADD left them. */
  async check(podId: string): Promise<void> {
    checkPodId(podId);
    await this.serialize(podKey(podId), async () => {
      const rec = await this.store.read(podKey(podId));
      if (!rec || rec.phase !== 'ready' || !(await netnsExists(rec.netns))) {
        throw new ApiError('NotFound', `pod "${podId}" has no network set up here; call setUp first`);
      }
      for (const att of [rec.loopback, rec.bridge]) {
        if (att?.result) {
          await checkList(att.list, this.runtime(rec, att), this.options.pluginDirs, att.result, (p, e) => portmapCheckBug(rec, p.type, e));
        }
      }
    });
  }

  /** Ids of the pods this network has state for, so an agent can tear down those it no longer runs. */
  async list(): Promise<string[]> {
    return (await this.store.list()).map((r) => r.podId);
  }

  private async attach(podId: string, mode: 'bridge' | 'none', ports: PortMapping[], onNamespace?: (path: string) => void): Promise<PodNetwork> {
    const o = this.options;
    const key = podKey(podId);
    const old = await this.store.read(key);
    if (old && old.podId !== podId) {
      throw new ApiError('Conflict', `pod ids "${old.podId}" and "${podId}" map to the same network key ${key}; tear down "${old.podId}" first`);
    }
    if (old && old.phase === 'ready' && await netnsExists(old.netns)) {
      if (old.mode === mode && samePorts(old.ports, ports)) return view(old);
      // Its containers may be running in that namespace: replacing it would cut them off.
      throw new ApiError('Conflict', `pod "${podId}" already has a ${old.mode} network with ports [${old.ports.map(portLabel).join(', ')}]; `
        + 'tear it down before setting it up differently');
    }
    if (old) {
      await this.release(old); // half-made or its namespace is gone: start again
    } else if (await netnsExists(o.netnsPrefix + key)) {
      throw new ApiError('AlreadyExists', `network namespace ${o.netnsPrefix + key} exists but ${o.stateDir} has no record of it; `
        + `another Lantern instance may own it (give each instance its own netnsPrefix) or remove it: ip netns delete ${o.netnsPrefix + key}`);
    }
    const rec = this.newRecord(podId, mode, ports);
    // Pods are set up side by side; only the check of published ports and the record that claims
    // them run one at a time, so two pods can never take the same port.
    await this.serialize('#ports', async () => {
      if (ports.length > 0) await assertPortsFree(ports, (await this.store.list()).filter((r) => r.key !== key), o.networkName);
      await this.store.write(rec); // before anything exists, so a crash leaves something to clean up
    });
    if (mode === 'bridge' && !this.hostReady) {
      await assertSubnetFree(o.subnet, o.bridge);
      await ensureSysctl('net.ipv4.ip_forward', '1');
      this.hostReady = true;
    }
    try {
      await createNetns(rec.netns);
      onNamespace?.(rec.netnsPath);
      for (const att of [rec.loopback, rec.bridge]) {
        if (att) await addList(att.list, this.runtime(rec, att), o.pluginDirs, (r) => { att.result = r; });
      }
      if (rec.bridge) await ensureBridgeForwarding(o.bridge, o.subnet, o.clusterCidr);
      // portmap sets this too; it lets DNATed 127.0.0.1 traffic leave through the bridge (see README).
      if (rec.bridge && ports.length > 0) await ensureSysctl(`net.ipv4.conf.${o.bridge}.route_localnet`, '1');
      rec.phase = 'ready';
      await this.store.write(rec);
      return view(rec);
    } catch (e) {
      await this.release(rec).catch(() => undefined);
      throw e;
    }
  }

  /** DEL in reverse order with the saved config and results, sweep leftovers, delete the namespace. */
  private async release(rec: PodRecord): Promise<void> {
    let failure: unknown;
    for (const att of [rec.bridge, rec.loopback]) {
      if (!att) continue;
      try {
        await delList(att.list, this.runtime(rec, att), this.options.pluginDirs, att.result);
      } catch (e) {
        failure ??= e;
      }
    }
    if (rec.bridge) await sweepNatRules(rec.bridge.list.name, rec.key).catch(() => undefined);
    await deleteNetns(rec.netns);
    if (failure !== undefined) {
      const why = failure instanceof Error ? failure.message : JSON.stringify(failure);
      throw new Error(`tearing down the network of pod "${rec.podId}" failed: ${why}; the record stays in `
        + `${join(this.options.stateDir, 'pods')} and calling tearDown again retries`, { cause: failure });
    }
    await this.store.remove(rec.key);
  }

  private newRecord(podId: string, mode: 'bridge' | 'none', ports: PortMapping[]): PodRecord {
    const key = podKey(podId);
    const netns = this.options.netnsPrefix + key;
    const rec: PodRecord = {
      version: 1, podId, key, netns, netnsPath: netnsPath(netns), mode, ports, phase: 'adding',
      loopback: { list: loopbackList(this.options), ifName: 'lo' },
    };
    if (mode === 'bridge') rec.bridge = { list: bridgeList(this.options, ports), ifName: 'eth0' };
    return rec;
  }

  private runtime(rec: PodRecord, att: Attachment): CniRuntime {
    return {
      containerId: rec.key,
      netnsPath: rec.netnsPath,
      ifName: att.ifName,
      capabilityArgs: { portMappings: portMappingsArg(rec.ports) },
    };
  }

  /** Run fn after every earlier call with the same key (a pod's key, or '#ports') of this network. */
  private serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const k = `${this.options.stateDir}\0${key}`;
    const next = (queues.get(k) ?? Promise.resolve()).then(fn);
    const tail = next.catch(() => undefined);
    queues.set(k, tail);
    void tail.then(() => { if (queues.get(k) === tail) queues.delete(k); });
    return next;
  }
}

/**
 * portmap <= 1.1.x checks its IPv4 rules, then fails CHECK on IPv4-only pods looking for IPv6 rules
 * it never made (containernetworking/plugins#819). Excuse exactly that case.
 */
function portmapCheckBug(rec: PodRecord, type: string, err: unknown): boolean {
  if (type !== 'portmap' || !(err instanceof Error) || !/could not check ipv6 dnat/.test(err.message)) return false;
  return !(rec.bridge?.result?.ips ?? []).some((ip) => ip.address.includes(':'));
}

function checkPodId(podId: string): void {
  if (typeof podId !== 'string' || podId === '') throw new ApiError('Invalid', 'pod id must be a non-empty string');
}

function view(rec: PodRecord): PodNetwork {
  return { netnsPath: rec.netnsPath, ...podAddress(rec.bridge?.result, rec.netnsPath) };
}

function samePorts(a: PortMapping[], b: PortMapping[]): boolean {
  const norm = (ps: PortMapping[]): string => JSON.stringify(ps.map((p) => `${portLabel(p)}->${p.containerPort}`).sort());
  return norm(a) === norm(b);
}
