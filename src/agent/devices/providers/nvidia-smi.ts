/**
 * Parsing nvidia-smi's output: the CSV of `--query-gpu` (one row per GPU) and the matrix of
 * `topo -m` (how each pair of GPUs is connected). Pure, so recorded outputs test it.
 */

/** The fields asked for, in order (nvidia-smi --query-gpu=...). */
export const gpuQueryFields = ['index', 'uuid', 'name', 'memory.total', 'mig.mode.current', 'utilization.gpu', 'memory.used', 'power.draw', 'temperature.gpu'] as const;

/** The arguments of the query, `--format=csv,noheader,nounits` so numbers come bare. */
export const gpuQueryArgs = [`--query-gpu=${gpuQueryFields.join(',')}`, '--format=csv,noheader,nounits'];

/** One GPU as nvidia-smi reported it. */
export interface SmiGpu {
  index: number;
  uuid: string;
  name: string;
  memoryMiB?: number;
  migEnabled?: boolean;
  utilization?: number;
  memoryUsedMiB?: number;
  powerWatts?: number;
  temperatureC?: number;
  /** A value read as an error ([Unknown Error], [GPU requires reset], ERR!): the GPU is not usable. */
  error?: string;
}

/** What the query printed: the GPUs, and lines that named a GPU it could not read. */
export interface SmiQuery {
  gpus: SmiGpu[];
  /** "Unable to determine the device handle for GPU0000:41:00.0: Unknown Error" and the like. */
  problems: string[];
}

const errorValue = /^\[(Unknown Error|GPU requires reset|GPU is lost|Not Found)\]$|^ERR!$/i;

/** A number, or undefined for [N/A] / [Not Supported] / blanks. */
function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '' || v.startsWith('[')) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** Parse `nvidia-smi --query-gpu=<gpuQueryFields> --format=csv,noheader,nounits`. */
export function parseGpuQuery(text: string): SmiQuery {
  const gpus: SmiGpu[] = [];
  const problems: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const f = line.split(',').map((s) => s.trim());
    const index = f.length >= 3 && /^[0-9]+$/.test(f[0] ?? '') ? Number(f[0]) : undefined;
    if (index === undefined || !f[1]) { problems.push(line); continue; }
    const bad = f.find((v) => errorValue.test(v));
    const mig = f[4];
    gpus.push({
      index, uuid: f[1], name: f[2] ?? '',
      memoryMiB: num(f[3]),
      ...(mig === 'Enabled' || mig === 'Disabled' ? { migEnabled: mig === 'Enabled' } : {}),
      utilization: num(f[5]), memoryUsedMiB: num(f[6]), powerWatts: num(f[7]), temperatureC: num(f[8]),
      ...(bad !== undefined ? { error: bad } : {}),
    });
  }
  return { gpus, problems };
}

/** How two GPUs are connected, per `nvidia-smi topo -m`'s legend. */
export type Link = 'X' | 'NV' | 'PIX' | 'PXB' | 'PHB' | 'NODE' | 'SYS' | 'SOC';

/** The GPU x GPU part of `nvidia-smi topo -m`: links[i][j] between GPUi and GPUj (by nvidia-smi index). */
export interface Topology {
  gpus: number[];
  links: Map<number, Map<number, { link: Link; nvlinks?: number }>>;
}

/** Parse `nvidia-smi topo -m` (GPU rows only; NIC and CPU affinity columns are left out). */
export function parseTopology(text: string): Topology {
  const lines = text.split('\n').map((l) => l.replace(/\x1b\[[0-9;]*m/g, '')).filter((l) => l.trim() !== '');
  const header = lines.find((l) => /^\s+GPU[0-9]+/.test(l));
  const links: Topology['links'] = new Map();
  if (!header) return { gpus: [], links };
  const cols = header.trim().split(/\t+|\s{2,}/).map((c) => c.trim());
  const gpus: number[] = [];
  for (const line of lines) {
    const m = /^GPU([0-9]+)\s/.exec(line);
    if (!m) continue;
    const self = Number(m[1]);
    gpus.push(self);
    const cells = line.trim().split(/\s+/).slice(1);
    const row = new Map<number, { link: Link; nvlinks?: number }>();
    cols.forEach((col, i) => {
      const peer = /^GPU([0-9]+)$/.exec(col);
      const cell = cells[i];
      if (!peer || cell === undefined) return;
      const nv = /^NV([0-9]+)$/.exec(cell);
      if (nv) row.set(Number(peer[1]), { link: 'NV', nvlinks: Number(nv[1]) });
      else if (['X', 'PIX', 'PXB', 'PHB', 'NODE', 'SYS', 'SOC'].includes(cell)) row.set(Number(peer[1]), { link: cell as Link });
    });
    links.set(self, row);
  }
  return { gpus, links };
}

/**
 * Topology groups: GPUs joined by NVLink or behind one PCIe switch (NV#, PIX, PXB) fall in one group,
 * transitively; the name says which (nvlink-N / pcie-N, N its lowest index) and a lone GPU gets none.
 */
export function topologyGroups(topo: Topology): Map<number, string> {
  const parent = new Map<number, number>(topo.gpus.map((g) => [g, g]));
  const find = (g: number): number => { let r = g; while (parent.get(r) !== r) r = parent.get(r) ?? r; return r; };
  const nvlinked = new Set<number>();
  for (const [a, row] of topo.links) {
    for (const [b, { link }] of row) {
      if (a === b || !['NV', 'PIX', 'PXB'].includes(link) || !parent.has(b)) continue;
      if (link === 'NV') { nvlinked.add(a); nvlinked.add(b); }
      const ra = find(a); const rb = find(b);
      if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
    }
  }
  const members = new Map<number, number[]>();
  for (const g of topo.gpus) members.set(find(g), [...members.get(find(g)) ?? [], g]);
  const out = new Map<number, string>();
  for (const [root, gs] of members) {
    if (gs.length < 2) continue;
    const kind = gs.some((g) => nvlinked.has(g)) ? 'nvlink' : 'pcie';
    for (const g of gs) out.set(g, `${kind}-${root}`);
  }
  return out;
}

/** The short gpu.type label from a model name: "NVIDIA A100-SXM4-80GB" -> a100, "Tesla V100-SXM2-16GB" -> v100. */
export function gpuType(model: string): string | undefined {
  const m = /\b(GH200|GB200|[ABHLVTPK][0-9]{1,3}[A-Za-z]?|RTX ?[0-9]{4}|RTX ?A[0-9]{4})\b/i.exec(model.replace(/^(NVIDIA|Tesla|Quadro)\s+/i, ''));
  return m?.[1]?.toLowerCase().replace(/\s+/g, '');
}
