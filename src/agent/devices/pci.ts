/** Whether the machine has a PCI function of a vendor (sysfs), for NFD's feature.node.kubernetes.io/pci-<vendor>.present label. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** NVIDIA's PCI vendor id. */
export const nvidiaPciVendor = '10de';

/** Whether SYSFS/bus/pci/devices/* has a function of this vendor (lower-case hex, no 0x). */
export async function hasPciVendor(sysfsRoot: string, vendor: string): Promise<boolean> {
  const dir = path.join(sysfsRoot, 'bus/pci/devices');
  for (const fn of await readdir(dir).catch(() => [] as string[])) {
    const v = await readFile(path.join(dir, fn, 'vendor'), 'utf8').catch(() => '');
    if (v.trim().toLowerCase() === `0x${vendor}`) return true;
  }
  return false;
}

/** NFD's label for it. */
export const pciPresentLabel = (vendor: string): string => `feature.node.kubernetes.io/pci-${vendor}.present`;
