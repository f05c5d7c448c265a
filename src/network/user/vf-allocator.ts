/**
 * Which pod holds which VF of each PF on this node: never one VF twice, freed with the pod, and rebuilt
 * after an agent restart from the attachment records of the pods it runs (records.ts).
 */
import { ApiError } from '../../api/errors.js';
import type { VirtualFunction } from './sysfs.js';

/** The VF holders of one node. */
export class VfAllocator {
  /** "PF/index" -> pod id. */
  private readonly held = new Map<string, string>();

  /** Record a VF as held (rebuilding from records). */
  hold(pf: string, index: number, podId: string): void { this.held.set(`${pf}/${index}`, podId); }

  /** The pod holding a VF, if any. */
  holder(pf: string, index: number): string | undefined { return this.held.get(`${pf}/${index}`); }

  /** Free every VF the pod holds. */
  releasePod(podId: string): void {
    for (const [k, v] of this.held) if (v === podId) this.held.delete(k);
  }

  /** Free one VF. */
  release(pf: string, index: number): void { this.held.delete(`${pf}/${index}`); }

  /** How many of the VFs are free. */
  free(pf: string, vfs: readonly VirtualFunction[]): number {
    return vfs.filter((v) => !this.held.has(`${pf}/${v.index}`)).length;
  }

  /**
   * Claim the VF asked for (sriov_vf=N), or the lowest free one. Throws a clear error for an index out
   * of range, a VF another pod holds, a VF without a netdev, or none free. The same pod asking again gets
   * the VF it holds.
   */
  claim(pf: string, vfs: readonly VirtualFunction[], podId: string, wanted?: number): VirtualFunction {
    if (wanted !== undefined) {
      const vf = vfs.find((v) => v.index === wanted);
      if (!vf) {
        throw new ApiError('Invalid', `sriov_vf=${wanted} is out of range: ${pf} has ${vfs.length} virtual function(s) enabled (0-${vfs.length - 1}); pick one of those or raise the network's numVFs`);
      }
      const holder = this.holder(pf, wanted);
      if (holder !== undefined && holder !== podId) throw new ApiError('Conflict', `VF ${wanted} of ${pf} is taken by pod ${holder}; pick a free VF or leave sriov_vf out to get one`);
      if (!vf.netdev && holder === undefined) throw new ApiError('Invalid', `VF ${wanted} of ${pf} has no network device in the host (no driver bound, or used outside Lantern); pick another VF`);
      this.hold(pf, wanted, podId);
      return vf;
    }
    const mine = vfs.find((v) => this.holder(pf, v.index) === podId);
    if (mine) return mine;
    const vf = vfs.find((v) => v.netdev && !this.held.has(`${pf}/${v.index}`));
    if (!vf) throw new ApiError('Conflict', `no free virtual function on ${pf} (${vfs.length} enabled, all taken): remove a pod that holds one or enable more VFs`);
    this.hold(pf, vf.index, podId);
    return vf;
  }
}
