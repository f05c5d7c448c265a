/**
 * A provider over CDI spec dirs (/etc/cdi, /var/run/cdi): every device of every valid spec is one
 * schedulable device of resource `kind` (vendor.com/class), id `vendor.com/class=name`. Specs are
 * read again each discovery, so a spec written later (nvidia-ctk cdi generate) shows up.
 */
import type { ContainerEdits, Device, DeviceProvider, ProviderReport } from '../types.js';
import { readCdiSpecs, resolveCdiDevice, type CdiSpec } from './cdi-spec.js';
import { mergeEdits } from '../edits.js';

/** Options: the dirs, in priority order. */
export interface CdiProviderOptions {
  dirs: readonly string[];
  /** Kinds another provider already counts (nvidia.com/gpu from the NVIDIA provider): left out here. */
  skipKinds?: readonly string[];
  log?: (m: string) => void;
}

/** The CDI provider. */
export class CdiProvider implements DeviceProvider {
  readonly name = 'cdi';
  private specs: CdiSpec[] = [];
  private readonly reported = new Set<string>();

  constructor(private readonly opts: CdiProviderOptions) {}

  async discover(): Promise<ProviderReport> {
    this.specs = await readCdiSpecs(this.opts.dirs, (e) => {
      if (this.reported.has(e.message)) return; // say it once, not every few seconds
      this.reported.add(e.message);
      this.opts.log?.(e.message);
    });
    const skip = new Set(this.opts.skipKinds ?? []);
    const byId = new Map<string, Device>();
    for (const spec of this.specs) {
      if (skip.has(spec.kind)) continue;
      for (const d of spec.devices) byId.set(`${spec.kind}=${d.name}`, { resource: spec.kind, id: `${spec.kind}=${d.name}`, model: d.name, healthy: true });
    }
    return { devices: [...byId.values()], labels: {} };
  }

  async edits(devices: Device[]): Promise<ContainerEdits> {
    return devices.reduce<ContainerEdits>((acc, d) => mergeEdits(acc, resolveCdiDevice(this.specs, d.id)), {});
  }
}
