/** The node's built-in device providers, from the agent's flags: NVIDIA, Ascend and CDI specs. */
import type { DeviceProvider } from '../types.js';
import { AscendProvider } from './ascend.js';
import { CdiProvider } from './cdi.js';
import { defaultCdiSpecDirs } from './cdi-spec.js';
import { NvidiaProvider, nvidiaGpuResource } from './nvidia.js';

/** --nvidia-driver-root and --cdi-spec-dirs. */
export interface ProviderSettings {
  /** Default /. */
  driverRoot?: string;
  /** Default /etc/cdi, /var/run/cdi. */
  cdiSpecDirs?: readonly string[];
  log?: (m: string) => void;
}

/** One of each provider. CDI specs of kind nvidia.com/gpu (nvidia-ctk's) are left to the NVIDIA provider, which counts the same GPUs. */
export function builtinProviders(s: ProviderSettings = {}): DeviceProvider[] {
  const driverRoot = s.driverRoot ?? '/';
  return [
    new NvidiaProvider({ driverRoot, log: s.log }),
    new AscendProvider({ driverRoot, log: s.log }),
    new CdiProvider({ dirs: s.cdiSpecDirs ?? defaultCdiSpecDirs, skipKinds: [nvidiaGpuResource], log: s.log }),
  ];
}

export { NvidiaProvider, AscendProvider, CdiProvider };
export { cdiDevice, readCdiSpecs, resolveCdiDevice, parseQualifiedName } from './cdi-spec.js';
