/**
 * Attaches pods to user-defined Networks on this node (the agent's user-networks hook calls it): a CNI
 * conflist per Network (conflist.ts), the host side (a bridge with isolation rules, a VLAN link, a VF
 * prepared through sysfs), host-local IPAM per network, and a record per pod so DEL replays exactly
 * what ADD did, after an agent restart too. Calls for one node are serialised: attachments share
 * bridges, VLAN links and VFs.
 */
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { Network } from '../../api/schema/network.js';
import { addList, delList } from '../cni-chain.js';
import { CniError } from '../cni-exec.js';
import type { CniResult } from '../cni-types.js';
import { podKey } from '../netns.js';
import { assertSubnetFree } from '../host.js';
import { ipToInt, parseCidr } from '../cidr.js';
import { bridgeNameOf, userConflist, vlanLinkName } from './conflist.js';
import { assertLinkExists, deleteLink, ensureVlanLink, isolateBridge, removeBridge } from './host-links.js';
import { AttachmentStore, type AttachmentRecord, type PodAttachments } from './records.js';
import { SriovSysfs, ipVfControl, type VfControl } from './sysfs.js';
import { VfAllocator } from './vf-allocator.js';

/** Where the node keeps its state and finds its plugins and SR-IOV devices. */
export interface UserNetworksOptions {
  stateDir: string;
  pluginDirs?: string[];
  /** The sysfs root SR-IOV PFs are found under (default /sys; tests give a fake tree). */
  sysfsRoot?: string;
  /** How a VF's VLAN is set through its PF (default: ip link set PF vf N vlan V). */
  vfControl?: VfControl;
  /** The node's default pod network bridge: bridge networks' pods may open no connection to its pods. */
  podBridge?: string;
}

/** One attachment asked for. */
export interface AttachRequest {
  podId: string;
  netnsPath: string;
  network: Network;
  ifName: string;
  ip?: string;
  params: Record<string, string>;
}

/** The address the pod got on the network. */
export interface Attached { ip?: string; gateway?: string }

const addressOf = (r: CniResult | undefined): Attached => {
  const ip = r?.ips?.[0];
  return ip ? { ip: ip.address.split('/')[0], gateway: ip.gateway } : {};
};

/** A node's user-network attachments. */
export class UserNetworks {
  readonly sysfs: SriovSysfs;
  private readonly store: AttachmentStore;
  private readonly vfs = new VfAllocator();
  private readonly pluginDirs: string[];
  private readonly vfControl: VfControl;
  private readonly ipamDir: string;
  private readonly podBridge: string | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private loaded = false;

  constructor(opts: UserNetworksOptions) {
    this.store = new AttachmentStore(path.join(opts.stateDir, 'pods'));
    this.ipamDir = path.join(opts.stateDir, 'ipam');
    this.pluginDirs = opts.pluginDirs ?? ['/usr/lib/cni', '/opt/cni/bin'];
    this.sysfs = new SriovSysfs(opts.sysfsRoot);
    this.vfControl = opts.vfControl ?? ipVfControl;
    this.podBridge = opts.podBridge;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(async () => { await this.load(); return fn(); });
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** After a restart: the VFs the records say pods hold are held again. */
  private async load(): Promise<void> {
    if (this.loaded) return;
    for (const rec of await this.store.all()) for (const a of rec.attachments) if (a.vf) this.vfs.hold(a.vf.pf, a.vf.index, rec.podId);
    this.loaded = true;
  }

  /** The pod's attachments as recorded. */
  async attached(podId: string): Promise<AttachmentRecord[]> {
    return (await this.store.read(podKey(podId)))?.attachments ?? [];
  }

  /** Attach the pod to the network (the same network again answers what it has). */
  attach(req: AttachRequest): Promise<Attached> {
    return this.serial(async () => {
      const key = podKey(req.podId);
      const rec: PodAttachments = (await this.store.read(key)) ?? { podId: req.podId, netnsPath: req.netnsPath, attachments: [] };
      const had = rec.attachments.find((a) => a.network === req.network.metadata.name);
      if (had) return addressOf(had.result);
      const att = await this.prepare(req);
      rec.attachments.push(att);
      await this.store.write(key, rec);
      try {
        att.result = await addList(att.list, { containerId: key, netnsPath: req.netnsPath, ifName: req.ifName }, this.pluginDirs);
      } catch (e) {
        await this.undo(rec, att, key);
        throw explain(e, req.network);
      }
      await this.store.write(key, rec);
      return addressOf(att.result);
    });
  }

  /** The host side and the conflist; throws a clear error before anything is changed when the node cannot. */
  private async prepare(req: AttachRequest): Promise<AttachmentRecord> {
    const n = req.network;
    const s = n.spec;
    const base = { network: n.metadata.name, driver: s.driver, ifName: req.ifName };
    if (req.ip !== undefined && !insideSubnet(s.subnet, req.ip)) throw new ApiError('Invalid', `--ip ${req.ip} is outside the subnet ${s.subnet} of network ${n.metadata.name}; pick an address inside it`);
    switch (s.driver) {
      case 'bridge': {
        const bridge = bridgeNameOf(n.metadata.name);
        await assertSubnetFree(s.subnet, bridge);
        await isolateBridge(bridge, this.podBridge);
        return { ...base, bridge, list: userConflist(n, { ipamDir: this.ipamDir, ip: req.ip, defaultRoute: req.ifName === 'eth0' }) };
      }
      case 'macvlan': case 'ipvlan': case 'host-device': {
        await assertLinkExists(s.parent ?? '', 'parent interface');
        let vlanLink: string | undefined;
        if (s.vlan !== undefined && s.driver !== 'host-device') {
          const name = vlanLinkName(s.parent ?? '', s.vlan);
          if (await ensureVlanLink(s.parent ?? '', name, s.vlan)) vlanLink = name;
        }
        return { ...base, vlanLink, list: userConflist(n, { ipamDir: this.ipamDir, ip: req.ip, defaultRoute: req.ifName === 'eth0' }) };
      }
      case 'sriov': {
        const pf = s.physicalInterface ?? '';
        if (s.numVFs !== undefined) await this.sysfs.ensureNumVfs(pf, s.numVFs);
        const raw = req.params.sriov_vf;
        const wanted = raw === undefined ? undefined : Number(raw);
        if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 0)) throw new ApiError('Invalid', `sriov_vf=${raw} must be a VF index (0, 1, 2...)`);
        const vf = this.vfs.claim(pf, await this.sysfs.vfs(pf), req.podId, wanted);
        try {
          if (s.vlan !== undefined) await this.vfControl.setVlan(pf, vf.index, s.vlan);
        } catch (e) { this.vfs.release(pf, vf.index); throw e; }
        const netdev = vf.netdev ?? '';
        return { ...base, vf: { pf, index: vf.index, netdev }, list: userConflist(n, { ipamDir: this.ipamDir, ip: req.ip, device: netdev, defaultRoute: req.ifName === 'eth0' }) };
      }
    }
  }

  /** Detach one network (disconnect) or all of them (the pod is gone); safe to call twice. */
  detach(podId: string, network?: string): Promise<void> {
    return this.serial(async () => {
      const key = podKey(podId);
      const rec = await this.store.read(key);
      if (!rec) return;
      for (const att of rec.attachments.filter((a) => network === undefined || a.network === network)) {
        await delList(att.list, { containerId: key, netnsPath: rec.netnsPath, ifName: att.ifName }, this.pluginDirs, att.result);
        await this.undo(rec, att, key);
      }
    });
  }

  /** Drop the record of an attachment and free what only it used. */
  private async undo(rec: PodAttachments, att: AttachmentRecord, key: string): Promise<void> {
    rec.attachments = rec.attachments.filter((a) => a !== att);
    await this.store.write(key, rec);
    if (att.vf) this.vfs.release(att.vf.pf, att.vf.index);
    const others = (await this.store.all()).flatMap((r) => r.attachments);
    if (att.bridge && !others.some((a) => a.bridge === att.bridge)) await removeBridge(att.bridge);
    if (att.vlanLink && !others.some((a) => a.vlanLink === att.vlanLink || a.list.plugins[0]?.master === att.vlanLink)) await deleteLink(att.vlanLink);
  }

  /** How many VFs of a PF are enabled and how many no pod holds (what the node advertises). */
  sriovCounts(pf: string): Promise<{ total: number; free: number }> {
    return this.serial(async () => {
      const vfs = await this.sysfs.vfs(pf);
      return { total: vfs.length, free: this.vfs.free(pf, vfs) };
    });
  }

  /** Ids of the pods with attachments (to release those of pods that are gone). */
  async pods(): Promise<string[]> { return (await this.store.all()).map((r) => r.podId); }
}

/** A plugin's failure in the user's words where we know them. */
function explain(e: unknown, n: Network): unknown {
  if (!(e instanceof CniError)) return e;
  if (/Unknown device type|operation not supported/i.test(e.message) && n.spec.driver === 'ipvlan') {
    return new ApiError('Invalid', `network ${n.metadata.name}: this node's kernel lacks ipvlan ("Unknown device type"); use the macvlan driver instead`);
  }
  if (/requested IP address .* is not available|already reserved|duplicate allocation/i.test(e.message)) {
    return new ApiError('Conflict', `network ${n.metadata.name}: the address asked for is taken; pick another --ip or leave it out (${e.message})`);
  }
  return new ApiError('Internal', `network ${n.metadata.name} (${n.spec.driver}): ${e.message}`);
}

/** Whether ip lies inside subnet (both IPv4). */
function insideSubnet(subnet: string, ip: string): boolean {
  const net = parseCidr(subnet);
  return net !== undefined && ipToInt(ip) >= net.first && ipToInt(ip) <= net.last;
}
