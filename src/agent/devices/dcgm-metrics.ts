/**
 * GPU series in dcgm-exporter's names and labels (DCGM_FI_DEV_GPU_UTIL, _FB_USED, _FB_FREE, _POWER_USAGE,
 * _GPU_TEMP; gpu, UUID, device, modelName, Hostname and the holder's namespace/pod/container), from the
 * providers' last reading, so dashboards built for NVIDIA's exporter work on a Lantern node unchanged.
 */
import { Registry } from '../../metrics/registry.js';
import type { DeviceSource } from './advertise.js';

const labelNames = ['gpu', 'UUID', 'device', 'modelName', 'Hostname', 'namespace', 'pod', 'container'] as const;
const MiB = 2 ** 20;

/** One scrape's text (empty when the node has no NVIDIA GPU). */
export async function dcgmMetricsText(source: Pick<DeviceSource, 'found' | 'assignments'>, hostname: string): Promise<string> {
  const gpus = source.found().map((f) => f.device).filter((d) => d.resource === 'nvidia.com/gpu' && d.healthy);
  if (gpus.length === 0) return '';
  const reg = new Registry();
  const util = reg.gauge({ name: 'DCGM_FI_DEV_GPU_UTIL', help: 'GPU utilization (in %).', labelNames });
  const used = reg.gauge({ name: 'DCGM_FI_DEV_FB_USED', help: 'Framebuffer memory used (in MiB).', labelNames });
  const free = reg.gauge({ name: 'DCGM_FI_DEV_FB_FREE', help: 'Framebuffer memory free (in MiB).', labelNames });
  const power = reg.gauge({ name: 'DCGM_FI_DEV_POWER_USAGE', help: 'Power draw (in W).', labelNames });
  const temp = reg.gauge({ name: 'DCGM_FI_DEV_GPU_TEMP', help: 'GPU temperature (in C).', labelNames });
  const held = source.assignments();
  for (const d of gpus) {
    const a = held.find((x) => x.devices.includes(d.id));
    const labels = {
      gpu: String(d.index ?? ''), UUID: d.id, device: d.index === undefined ? '' : `nvidia${d.index}`, modelName: d.model ?? '', Hostname: hostname,
      namespace: a?.namespace ?? '', pod: a?.pod ?? '', container: a?.container ?? '',
    };
    const m = d.metrics ?? {};
    if (m.utilization !== undefined) util.set(labels, m.utilization);
    if (m.memoryUsedBytes !== undefined) {
      used.set(labels, Math.round(m.memoryUsedBytes / MiB));
      if (d.memoryBytes !== undefined) free.set(labels, Math.round((d.memoryBytes - m.memoryUsedBytes) / MiB));
    }
    if (m.powerWatts !== undefined) power.set(labels, m.powerWatts);
    if (m.temperatureC !== undefined) temp.set(labels, m.temperatureC);
  }
  return reg.expose();
}
