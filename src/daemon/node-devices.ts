/**
 * The node's accelerators: the built-in providers (NVIDIA, Ascend, CDI specs) from the device flags,
 * under one DeviceRegistry (agent/devices/registry.ts) that discovers every --device-discovery-interval;
 * the Agent advertises it (agent/devices/advertise.ts) and its devices hook assigns from it.
 */
import { DeviceRegistry } from '../agent/devices/registry.js';
import { builtinProviders, cdiDevice } from '../agent/devices/providers/index.js';
import { MpsDaemons } from '../agent/devices/mps.js';
import { WithDriverFiles } from '../agent/devices/nvidia-driver-provider.js';
import { mergeEdits } from '../agent/devices/edits.js';
import type { ContainerEdits } from '../agent/devices/types.js';
import path from 'node:path';
import type { NodeConfig } from './node-config.js';
import { startDevicePlugins } from '../agent/devices/plugin-api/plugins-provider.js';

/** Build and start the registry (a first discovery before the agent registers its Node). */
export async function startNodeDevices(node: NodeConfig, log: (m: string) => void): Promise<DeviceRegistry> {
  const d = node.devices ?? { driverRoot: '/', cdiSpecDirs: ['/etc/cdi', '/var/run/cdi'], discoveryIntervalMs: 10_000 };
  // Kubernetes device plugins (gRPC, DIR/kubelet.sock): one provider over whichever plugins register.
  // Plugins may report before the registry exists: it is looked up when they do.
  const late: { registry?: DeviceRegistry } = {};
  const plugins = await startDevicePlugins({ dir: d.pluginDir ?? path.join(node.dataDir, 'device-plugins'), log, onChange: () => void late.registry?.refresh(),
    resolveCdi: (names) => (late.registry ? late.registry.resolveCdi(names) : Promise.reject(new Error('the device registry is not started yet'))) });
  const registry = new DeviceRegistry({
    // The NVIDIA provider's containers also get the driver's libraries and tools (through DATA_DIR/cdi/lantern-nvidia.json).
    providers: [...builtinProviders({ driverRoot: d.driverRoot, cdiSpecDirs: d.cdiSpecDirs, log })
      .map((p) => (p.name === 'nvidia' ? new WithDriverFiles(p, { driverRoot: d.driverRoot, cdiDir: path.join(node.dataDir, 'cdi') }) : p)), plugins],
    dataDir: node.dataDir, intervalMs: d.discoveryIntervalMs, log,
    ...(d.sharing ? { sharing: d.sharing } : {}),
    // MPS daemons: the driver root's control program, pipes under the data dir.
    ...(d.sharing?.mode === 'mps' ? { mps: new MpsDaemons({ controlPath: path.join(d.driverRoot, 'usr/bin/nvidia-cuda-mps-control'), dir: path.join(node.dataDir, 'devices', 'mps') }) } : {}),
    cdi: async (names: string[]) => {
      let out: ContainerEdits = {};
      for (const n of names) out = mergeEdits(out, await cdiDevice(n, d.cdiSpecDirs));
      return out;
    },
  });
  late.registry = registry;
  await registry.start();
  return registry;
}
