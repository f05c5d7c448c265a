/** The node's accelerator discovery flags, for `lanternd server` (its own node) and `lanternd agent`. */
import path from 'node:path';
import { durationFlag } from './duration-flag.js';
import { FlagError } from './flags.js';
import { gpuSharingFlags, gpuSharingFromFlags, gpuSharingUsage } from './gpu-sharing-flags.js';
import type { Sharing } from '../agent/devices/units.js';

/** What the node's device providers are told (agent/devices/providers). */
export interface NodeDeviceConfig {
  /** --nvidia-driver-root: where nvidia-smi (ROOT/usr/bin), npu-smi (ROOT/usr/local/sbin) and the device nodes (ROOT/dev) are. */
  driverRoot: string;
  /** --cdi-spec-dirs, in priority order (later wins). */
  cdiSpecDirs: string[];
  /** --device-discovery-interval. */
  discoveryIntervalMs: number;
  /** --gpu-sharing / --gpu-time-slicing (gpu-sharing-flags.ts); absent: none. */
  sharing?: Sharing;
  /** --device-plugin-dir: where kubelet.sock and the device plugins' sockets are (default DATA_DIR/device-plugins). */
  pluginDir?: string;
}

/** The flags' types for parseFlags. */
export const deviceFlags = { 'nvidia-driver-root': 'string', 'cdi-spec-dirs': 'string', 'device-discovery-interval': 'string', 'device-plugin-dir': 'string', ...gpuSharingFlags } as const;

/** Their lines in --help. */
export const deviceFlagsUsage = `  --nvidia-driver-root DIR  where the accelerator drivers are: DIR/usr/bin/nvidia-smi, DIR/usr/local/sbin/npu-smi,
                        DIR/dev/nvidia* and DIR/dev/davinci* (default /)
  --cdi-spec-dirs D,...  CDI spec dirs, later ones win (default /etc/cdi,/var/run/cdi)
  --device-discovery-interval D  how often GPUs, NPUs and CDI devices are looked for (default 10s)
  --device-plugin-dir DIR  Kubernetes device plugins register at DIR/kubelet.sock (default DATA_DIR/device-plugins;
                        /var/lib/kubelet/device-plugins for plugins built for kubelet's path)
${gpuSharingUsage}`;

/** Parse and check the flags. */
export function deviceConfigFromFlags(flags: Record<string, string | boolean | undefined>): NodeDeviceConfig {
  const root = flags['nvidia-driver-root'];
  if (root === true || root === '') throw new FlagError('--nvidia-driver-root: name a directory such as / or /run/nvidia/driver');
  const dirs = typeof flags['cdi-spec-dirs'] === 'string' ? flags['cdi-spec-dirs'].split(',').map((d) => d.trim()).filter((d) => d !== '') : ['/etc/cdi', '/var/run/cdi'];
  for (const d of dirs) if (!path.isAbsolute(d)) throw new FlagError(`--cdi-spec-dirs: ${JSON.stringify(d)} is not an absolute path`);
  const defined = Object.fromEntries(Object.entries(flags).filter((e): e is [string, string | boolean] => e[1] !== undefined));
  return { driverRoot: path.resolve(typeof root === 'string' ? root : '/'), cdiSpecDirs: dirs, discoveryIntervalMs: durationFlag(defined, 'device-discovery-interval', 10_000, true), sharing: gpuSharingFromFlags(flags),
    ...(typeof flags['device-plugin-dir'] === 'string' && flags['device-plugin-dir'] !== '' ? { pluginDir: path.resolve(flags['device-plugin-dir']) } : {}) };
}
