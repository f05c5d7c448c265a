/**
 * Huawei Ascend NPUs: /dev/davinciN per NPU plus the shared davinci_manager, devmm_svm and hisi_hdc
 * nodes, and per NPU what `ROOT/usr/local/sbin/npu-smi info` says (health OK/Warning healthy, other
 * states not). The resource is the Ascend device plugin's (huawei.com/Ascend910, ...).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerEdits, Device, DeviceProvider, ProviderReport } from '../types.js';
import { ascendResource, parseNpuSmi, type SmiNpu } from './npu-smi.js';
import { executable, runTool } from './run-tool.js';

/** Where the driver is (the same --nvidia-driver-root flag names the vendor root for both). */
export interface AscendOptions {
  driverRoot: string;
  devRoot?: string;
  log?: (m: string) => void;
}

/** Shared nodes every NPU container gets. */
export const ascendControlNodes = ['davinci_manager', 'devmm_svm', 'hisi_hdc'];

/** The Ascend provider. */
export class AscendProvider implements DeviceProvider {
  readonly name = 'ascend';
  private readonly devRoot: string;
  private readonly smi: string;

  constructor(private readonly opts: AscendOptions) {
    this.devRoot = opts.devRoot ?? path.join(opts.driverRoot, 'dev');
    this.smi = path.join(opts.driverRoot, 'usr/local/sbin/npu-smi');
  }

  async discover(): Promise<ProviderReport> {
    const names = await readdir(this.devRoot).catch(() => [] as string[]);
    const nodes = new Set(names.map((n) => /^davinci([0-9]+)$/.exec(n)?.[1]).filter((n): n is string => n !== undefined).map(Number));
    if (nodes.size === 0) return { devices: [], labels: {} };
    let npus: SmiNpu[] = [];
    if (await executable(this.smi)) {
      try { npus = parseNpuSmi(await runTool(this.smi, ['info'])); } catch (e) { this.opts.log?.(`ascend: ${String(e)}`); }
    }
    const devices: Device[] = [...nodes].sort((a, b) => a - b).map((i) => {
      const n = npus.find((x) => x.id === i);
      const resource = ascendResource(n?.name ?? '910');
      return {
        resource, id: `${resource.slice('huawei.com/'.length)}-${i}`, index: i, model: n ? `Ascend${n.name}` : 'Ascend',
        healthy: n !== undefined && /^(OK|Warning)$/i.test(n.health),
        ...(n?.hbmTotalMiB !== undefined ? { memoryBytes: n.hbmTotalMiB * 2 ** 20 } : {}),
        metrics: {
          ...(n?.aicore !== undefined ? { utilization: n.aicore } : {}),
          ...(n?.hbmUsedMiB !== undefined ? { memoryUsedBytes: n.hbmUsedMiB * 2 ** 20 } : {}),
          ...(n?.powerWatts !== undefined ? { powerWatts: n.powerWatts } : {}),
          ...(n?.temperatureC !== undefined ? { temperatureC: n.temperatureC } : {}),
        },
      };
    });
    const first = devices[0];
    const labels: Record<string, string> = first ? {
      'huawei.com/npu.product': (first.model ?? 'Ascend').replace(/[^A-Za-z0-9._-]+/g, '-'),
      'huawei.com/npu.count': String(devices.length),
      ...(first.memoryBytes !== undefined ? { 'huawei.com/npu.memory': String(Math.round(first.memoryBytes / 2 ** 20)) } : {}),
    } : {};
    return { devices, labels };
  }

  /** The NPUs' davinci nodes plus the shared ones, and ASCEND_VISIBLE_DEVICES as Ascend's runtime reads it. */
  async edits(devices: Device[]): Promise<ContainerEdits> {
    const present = new Set(await readdir(this.devRoot).catch(() => [] as string[]));
    const node = (name: string): { path: string; hostPath: string; permissions: string } => ({ path: `/dev/${name}`, hostPath: path.join(this.devRoot, name), permissions: 'rw' });
    const deviceNodes = devices.filter((d) => d.index !== undefined).map((d) => node(`davinci${d.index}`));
    for (const c of ascendControlNodes) if (present.has(c)) deviceNodes.push(node(c));
    return { env: { ASCEND_VISIBLE_DEVICES: devices.map((d) => String(d.index)).join(',') }, deviceNodes };
  }
}
