/**
 * Every registered device plugin as one DeviceProvider (`device-plugins`) for the node's
 * DeviceRegistry, whose provider list is fixed when it is built: plugins come and go at run time,
 * so this provider owns the Registration server (start/close) and answers for whichever plugins
 * registered, sending each device to the PluginProvider (`plugin:<resource>`) of its resource.
 */
import type { ContainerEdits, Device, DeviceProvider, ProviderReport } from '../types.js';
import { mergeEdits } from './edits.js';
import { DevicePluginManager, type DevicePluginManagerOptions } from './manager.js';

/** The device plugins of this node, behind one provider. */
export class DevicePluginsProvider implements DeviceProvider {
  readonly name = 'device-plugins';
  readonly manager: DevicePluginManager;

  constructor(opts: DevicePluginManagerOptions) { this.manager = new DevicePluginManager(opts); }

  async discover(): Promise<ProviderReport> {
    const reports = await Promise.all(this.manager.providers().map((p) => p.discover()));
    return { devices: reports.flatMap((r) => r.devices), labels: {} };
  }

  async preferred(available: Device[], mustInclude: Device[], size: number): Promise<string[] | undefined> {
    const resource = available[0]?.resource;
    const p = this.manager.providers().find((x) => x.resource === resource);
    return p?.preferred(available.filter((d) => d.resource === resource), mustInclude, size);
  }

  async edits(devices: Device[], ctx: { podUid: string; container: string }): Promise<ContainerEdits> {
    let out: ContainerEdits = {};
    for (const p of this.manager.providers()) {
      const mine = devices.filter((d) => d.resource === p.resource);
      if (mine.length > 0) out = mergeEdits(out, await p.edits(mine, ctx));
    }
    return out;
  }

  async close(): Promise<void> { await this.manager.stop(); }
}

/** Start the Registration server on DIR/kubelet.sock and return the provider over its plugins. */
export async function startDevicePlugins(opts: DevicePluginManagerOptions): Promise<DevicePluginsProvider> {
  const provider = new DevicePluginsProvider(opts);
  await provider.manager.start();
  return provider;
}
