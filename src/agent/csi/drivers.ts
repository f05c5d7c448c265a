/**
 * The CSI drivers registered on this node (the kubelet's csi_plugin registration handler): checks a
 * plugin's versions, dials its endpoint, reads its identity, capabilities and node id, and tells
 * listeners (the node annotation, the provisioner) when the set changes.
 */
import { CsiClient } from './client.js';
import type { PluginHandler, PluginInfo } from './plugin-watcher.js';
import { capabilityTypes, type DriverInfo } from './types.js';

/** One registered driver: its client and what it said. */
export interface RegisteredDriver { info: DriverInfo; client: CsiClient; endpoint: string }

/** A CSI driver name as the spec demands (DNS-like, <= 63). */
const driverName = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?$/;

/** The node's CSI drivers by name. */
export class CsiDrivers implements PluginHandler {
  private readonly drivers = new Map<string, RegisteredDriver>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly log: (msg: string) => void = () => undefined) {}

  /** The driver of that name, if registered here. */
  get(name: string): RegisteredDriver | undefined { return this.drivers.get(name); }
  /** Every registered driver. */
  list(): RegisteredDriver[] { return [...this.drivers.values()]; }
  /** Calls fn whenever a driver comes or goes; answers the unsubscribe. */
  onChange(fn: () => void): () => void { this.listeners.add(fn); return () => this.listeners.delete(fn); }

  /** Registration: refuses a driver without a 1.x version or whose identity disagrees. */
  async register(p: PluginInfo, socket: string): Promise<void> {
    if (!driverName.test(p.name)) throw new Error(`CSI driver name ${JSON.stringify(p.name)} is not a DNS-style name of at most 63 characters`);
    if (!p.supportedVersions.some((v) => /^v?1(\.|$)/.test(v))) throw new Error(`CSI driver ${p.name} supports ${JSON.stringify(p.supportedVersions)}; Lantern speaks CSI 1.x`);
    const endpoint = p.endpoint || socket;
    const client = new CsiClient(endpoint);
    try {
      const ident = await client.getPluginInfo();
      if (ident.name !== p.name) throw new Error(`CSI driver registered as ${p.name} but GetPluginInfo says ${ident.name}`);
      const pluginCapabilities = capabilityTypes(await client.getPluginCapabilities());
      const controllerCapabilities = pluginCapabilities.includes('CONTROLLER_SERVICE') ? capabilityTypes(await client.controllerCapabilities()) : [];
      const nodeCapabilities = capabilityTypes(await client.nodeCapabilities());
      const ni = await client.nodeGetInfo();
      if (!ni.nodeId) throw new Error(`CSI driver ${p.name}: NodeGetInfo returned no node_id`);
      const info: DriverInfo = { name: p.name, vendorVersion: ident.vendorVersion, nodeId: ni.nodeId, topology: ni.accessibleTopology?.segments ?? {}, pluginCapabilities, controllerCapabilities, nodeCapabilities };
      this.drivers.get(p.name)?.client.close();
      this.drivers.set(p.name, { info, client, endpoint });
      this.log(`csi: driver ${p.name} ${ident.vendorVersion} node ${ni.nodeId} controller=[${controllerCapabilities.join(',')}] node=[${nodeCapabilities.join(',')}]`);
    } catch (e) {
      client.close();
      throw e;
    }
    this.emit();
  }

  /** The driver's registration socket went away. */
  deregister(name: string): void {
    const d = this.drivers.get(name);
    if (!d) return;
    d.client.close();
    this.drivers.delete(name);
    this.emit();
  }

  /** Closes every client. */
  close(): void { for (const d of this.drivers.values()) d.client.close(); this.drivers.clear(); }

  private emit(): void { for (const fn of this.listeners) { try { fn(); } catch { /* a listener's failure is its own */ } } }
}
