/**
 * The DeviceProvider `plugin:<resource>` of one registered device plugin. It outlives connections:
 * a plugin that dies leaves its devices reported unhealthy (out of allocatable), and when it
 * registers again the new connection takes over under the same provider.
 */
import type { ContainerEdits, Device, DeviceProvider, ProviderReport } from '../types.js';
import type { PluginConnection } from './connection.js';
import { allocateEdits, type CdiResolver } from './edits.js';
import { healthy, type PluginDevice } from './proto.js';

/** One resource's plugin as a provider. */
export class PluginProvider implements DeviceProvider {
  readonly name: string;
  private conn: PluginConnection | undefined;
  private devices: Device[] = [];
  /** Why the devices are unhealthy when no stream is open (for logs and events). */
  lastEnd: string | undefined;

  constructor(readonly resource: string, private readonly resolveCdi?: CdiResolver, private readonly changed?: () => void) {
    this.name = `plugin:${resource}`;
  }

  /** A (re)registration: close the old connection, follow the new one. */
  attach(conn: PluginConnection): void {
    this.conn?.close();
    this.conn = conn;
    this.lastEnd = undefined;
  }

  /** ListAndWatch sent a list: it replaces the last one. */
  setDevices(list: PluginDevice[]): void {
    this.devices = list.map((d) => ({
      resource: this.resource,
      id: d.ID,
      healthy: d.health === healthy,
      ...(d.topology?.nodes?.length ? { topologyGroup: `numa${d.topology.nodes.map((n) => n.ID).join('+')}` } : {}),
    }));
    this.changed?.();
  }

  /** The stream of `conn` ended: if it is still the current one, every device turns unhealthy. */
  ended(conn: PluginConnection, reason: string): void {
    if (conn !== this.conn) return;
    this.lastEnd = reason;
    this.devices = this.devices.map((d) => ({ ...d, healthy: false }));
    this.changed?.();
  }

  async discover(): Promise<ProviderReport> {
    return { devices: this.devices.map((d) => ({ ...d })), labels: {} };
  }

  async preferred(available: Device[], mustInclude: Device[], size: number): Promise<string[] | undefined> {
    const conn = this.conn;
    if (!conn?.options.getPreferredAllocationAvailable || this.lastEnd !== undefined) return undefined;
    return conn.preferred({ availableDeviceIDs: available.map((d) => d.id), mustIncludeDeviceIDs: mustInclude.map((d) => d.id), allocationSize: size });
  }

  async edits(devices: Device[], _ctx: { podUid: string; container: string }): Promise<ContainerEdits> {
    const conn = this.conn;
    if (!conn || this.lastEnd !== undefined) throw new Error(`device plugin for ${this.resource} is not connected (${this.lastEnd ?? 'never registered'}); waiting for it to register again`);
    const ids = devices.map((d) => d.id);
    const res = await conn.allocate(ids);
    const first = res.containerResponses[0];
    if (!first) throw new Error(`device plugin for ${this.resource}: Allocate answered no container response`);
    const edits = await allocateEdits(first, this.resolveCdi);
    if (conn.options.preStartRequired) await conn.preStart(ids);
    return edits;
  }

  async close(): Promise<void> {
    this.conn?.close();
    this.conn = undefined;
  }
}
