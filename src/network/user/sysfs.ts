/**
 * SR-IOV through sysfs, as the kernel lays it out (Documentation/PCI/pci-iov-howto.rst):
 *   <root>/class/net/<PF>/device/sriov_totalvfs   how many VFs the card can have
 *   <root>/class/net/<PF>/device/sriov_numvfs     how many are enabled (write N to enable; 0 first to change)
 *   <root>/class/net/<PF>/device/virtfn<N>/net/<netdev>   VF N's netdev while it is in the host's namespace
 * The root is configurable (lanternd agent --sysfs-root) so tests run on a FAKE tree; the VLAN is set
 * through the PF (`ip link set PF vf N vlan V`) behind VfControl, whose fake records the call.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { runTool } from '../exec.js';

/** One virtual function of a PF. */
export interface VirtualFunction {
  index: number;
  /** Its netdev while it sits in the host namespace (absent once moved into a pod, or without a driver). */
  netdev?: string;
}

/** What can be done to a VF through its PF (the real one runs iproute2). */
export interface VfControl {
  setVlan(pf: string, vf: number, vlan: number): Promise<void>;
}

/** The real kernel path: the PF driver programs the VF's VLAN tag (needs an SR-IOV capable NIC). */
export const ipVfControl: VfControl = {
  async setVlan(pf, vf, vlan) { await runTool('ip', ['link', 'set', 'dev', pf, 'vf', String(vf), 'vlan', String(vlan)]); },
};

/** The PF's sysfs view under a root. */
export class SriovSysfs {
  constructor(private readonly root = '/sys') {}

  private deviceDir(pf: string): string { return path.join(this.root, 'class', 'net', pf, 'device'); }

  private async readInt(pf: string, file: string): Promise<number> {
    let text: string;
    try { text = await readFile(path.join(this.deviceDir(pf), file), 'utf8'); } catch {
      throw new ApiError('Invalid', `interface ${pf} is not an SR-IOV physical function on this node (no ${path.join(this.deviceDir(pf), file)}); name a PF with --physical-interface`);
    }
    const n = Number(text.trim());
    if (!Number.isInteger(n) || n < 0) throw new ApiError('Invalid', `${path.join(this.deviceDir(pf), file)} holds ${JSON.stringify(text.trim())}, not a count`);
    return n;
  }

  /** sriov_totalvfs. */
  totalVfs(pf: string): Promise<number> { return this.readInt(pf, 'sriov_totalvfs'); }

  /** sriov_numvfs. */
  numVfs(pf: string): Promise<number> { return this.readInt(pf, 'sriov_numvfs'); }

  /** Enables at least `want` VFs (the kernel refuses a change from one non-zero count to another: 0 first). */
  async ensureNumVfs(pf: string, want: number): Promise<void> {
    const total = await this.totalVfs(pf);
    if (want > total) throw new ApiError('Invalid', `${pf} supports at most ${total} virtual functions (sriov_totalvfs); ask for ${total} or fewer`);
    const now = await this.numVfs(pf);
    if (now >= want) return;
    const file = path.join(this.deviceDir(pf), 'sriov_numvfs');
    if (now > 0) await writeFile(file, '0');
    await writeFile(file, String(want));
  }

  /** The enabled VFs in index order, with the netdev each has in the host namespace. */
  async vfs(pf: string): Promise<VirtualFunction[]> {
    const n = await this.numVfs(pf);
    const out: VirtualFunction[] = [];
    for (let i = 0; i < n; i++) {
      let netdev: string | undefined;
      try { netdev = (await readdir(path.join(this.deviceDir(pf), `virtfn${i}`, 'net')))[0]; } catch { netdev = undefined; }
      out.push({ index: i, netdev });
    }
    return out;
  }
}
