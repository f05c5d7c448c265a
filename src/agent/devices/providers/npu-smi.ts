/** Parsing `npu-smi info`'s table (Huawei Ascend): two lines per NPU between ruled separators. */

/** One NPU as npu-smi reported it. */
export interface SmiNpu {
  /** The NPU id (the davinci index on single-chip cards). */
  id: number;
  /** Chip name, e.g. 910B3, 310P3. */
  name: string;
  /** OK, Warning, Alarm, Critical, ... */
  health: string;
  powerWatts?: number;
  temperatureC?: number;
  busId?: string;
  aicore?: number;
  hbmUsedMiB?: number;
  hbmTotalMiB?: number;
}

const cells = (line: string): string[] => line.split('|').slice(1, -1).map((c) => c.trim());
const num = (v: string | undefined): number | undefined => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);

/** Parse `npu-smi info` (the process table after the NPU table is ignored). */
export function parseNpuSmi(text: string): SmiNpu[] {
  const lines = text.split('\n');
  const out: SmiNpu[] = [];
  for (let i = 0; i < lines.length - 1; i++) {
    const a = cells(lines[i] ?? '');
    const b = cells(lines[i + 1] ?? '');
    const head = /^([0-9]+)\s+(\S+)$/.exec(a[0] ?? '');
    if (!head || a.length < 3 || b.length < 3 || !/^[0-9]+$/.test(b[0] ?? '')) continue;
    const [power, temp] = (a[2] ?? '').split(/\s+/);
    const hbm = /([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(b[2] ?? '');
    out.push({
      id: Number(head[1]), name: head[2] ?? '', health: a[1] ?? '',
      powerWatts: num(power), temperatureC: num(temp), busId: b[1], aicore: num((b[2] ?? '').split(/\s+/)[0]),
      ...(hbm ? { hbmUsedMiB: Number(hbm[1]), hbmTotalMiB: Number(hbm[2]) } : {}),
    });
    i++;
  }
  return out;
}

/** The Ascend device plugin's resource for a chip: 910B3 -> huawei.com/Ascend910, 310P3 -> huawei.com/Ascend310P. */
export function ascendResource(chip: string): string {
  const m = /^(910|310P|310)/i.exec(chip);
  return `huawei.com/Ascend${m?.[1]?.toUpperCase() ?? chip.replace(/[^A-Za-z0-9]/g, '')}`;
}
