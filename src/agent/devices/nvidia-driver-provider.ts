/**
 * The NVIDIA provider with the driver's files: its own edits (device nodes, env) plus what
 * nvidia-edits.ts adds through the node's CDI spec (control nodes, the driver's libraries and tools
 * mounted read-only), so `lcctl run --gpus all IMAGE nvidia-smi` finds nvidia-smi and libnvidia-ml.
 */
import { mergeEdits } from './edits.js';
import { NvidiaCdi, type NvidiaEditOptions } from './nvidia-edits.js';
import type { ContainerEdits, Device, DeviceProvider, ProviderReport } from './types.js';

/** Wrap a provider of NVIDIA GPUs so its containers also get the driver's files. */
export class WithDriverFiles implements DeviceProvider {
  private readonly cdi: NvidiaCdi;
  private all: Device[] = [];
  constructor(private readonly inner: DeviceProvider, opts: NvidiaEditOptions) { this.cdi = new NvidiaCdi(opts); }

  get name(): string { return this.inner.name; }

  async discover(): Promise<ProviderReport> {
    const r = await this.inner.discover();
    this.all = r.devices;
    return r;
  }

  async edits(devices: Device[], ctx: { podUid: string; container: string }): Promise<ContainerEdits> {
    return mergeEdits(await this.inner.edits(devices, ctx), await this.cdi.edits(devices, this.all));
  }

  async close(): Promise<void> { await this.inner.close?.(); }
}
