/**
 * What an NVIDIA GPU container gets, as the NVIDIA container toolkit gives it: the GPUs' device nodes
 * and the control nodes, the driver's user-space libraries and tools mounted read-only (found through
 * the dynamic linker cache of the driver root, `ldconfig -p -C ROOT/etc/ld.so.cache`), and
 * NVIDIA_VISIBLE_DEVICES (the UUIDs) with CUDA_VISIBLE_DEVICES (0..n-1: the container sees only its
 * GPUs, so CUDA numbers them from 0). The edits go through a CDI spec: nvidia-ctk's when the driver root
 * has nvidia-ctk, else one this node generates (DIR/lantern-nvidia.json), so any CDI-aware tool on the
 * node sees the same devices.
 */
import { execFile } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { MountSpec } from '../../runtime/types.js';
import type { ContainerEdits, Device, DeviceNodeEdit } from './types.js';
import { mergeEdits } from './edits.js';
import { readCdiSpec, resolveCdiDevice } from './providers/cdi-spec.js';

const run = promisify(execFile);

/** The libraries the NVIDIA container toolkit mounts (utility, compute, video, graphics), by name before .so. */
export const NVIDIA_LIBRARIES = [
  'libnvidia-ml', 'libnvidia-cfg', 'libcuda', 'libcudadebugger', 'libnvidia-opencl', 'libnvidia-gpucomp', 'libnvidia-ptxjitcompiler',
  'libnvidia-fatbinaryloader', 'libnvidia-allocator', 'libnvidia-compiler', 'libnvidia-nvvm', 'libnvidia-pkcs11', 'libvdpau_nvidia',
  'libnvidia-encode', 'libnvidia-opticalflow', 'libnvcuvid', 'libnvidia-eglcore', 'libnvidia-glcore', 'libnvidia-tls', 'libnvidia-glsi',
  'libnvidia-fbc', 'libnvidia-ifr', 'libnvidia-rtcore', 'libnvoptix', 'libGLX_nvidia', 'libEGL_nvidia', 'libGLESv2_nvidia',
  'libGLESv1_CM_nvidia', 'libnvidia-glvkspirv',
];
/** The tools it mounts. */
export const NVIDIA_TOOLS = ['nvidia-smi', 'nvidia-debugdump', 'nvidia-persistenced', 'nvidia-cuda-mps-control', 'nvidia-cuda-mps-server'];
/** The control nodes a GPU container gets besides its /dev/nvidiaN. */
export const NVIDIA_CONTROL_NODES = ['nvidiactl', 'nvidia-uvm', 'nvidia-uvm-tools', 'nvidia-modeset'];

/** Where the driver is and where the generated spec goes. */
export interface NvidiaEditOptions {
  /** --nvidia-driver-root (default /). */
  driverRoot: string;
  /** Device nodes (default ROOT/dev). */
  devRoot?: string;
  /** Where the node writes its CDI spec (default DATA_DIR/cdi or /var/run/cdi). */
  cdiDir: string;
}

/** `ldconfig -p` lines as [name, path]: 64-bit entries where a library has both. */
export function parseLdconfig(text: string): Array<[string, string]> {
  const out = new Map<string, { file: string; wide: boolean }>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    if (!m) continue;
    const [, name, flags, file] = m as unknown as [string, string, string, string];
    const wide = /64/.test(flags);
    const had = out.get(name);
    if (!had || (wide && !had.wide)) out.set(name, { file, wide });
  }
  return [...out].map(([name, v]) => [name, v.file]);
}

/** The driver's libraries and tools under ROOT, as read-only binds at their paths inside the root. */
export async function driverMounts(driverRoot: string): Promise<MountSpec[]> {
  const cache = path.join(driverRoot, 'etc/ld.so.cache');
  let listing = '';
  try { listing = (await run('ldconfig', ['-p', '-C', cache])).stdout; } catch { /* no cache: no libraries */ }
  const mounts: MountSpec[] = [];
  for (const [name, file] of parseLdconfig(listing)) {
    if (!NVIDIA_LIBRARIES.includes(name.replace(/\.so(\..*)?$/, ''))) continue;
    const host = inRoot(driverRoot, file);
    if (!existsSync(host)) continue;
    mounts.push({ destination: file, source: host, type: 'bind', readOnly: true });
  }
  for (const tool of NVIDIA_TOOLS) {
    for (const dir of ['usr/bin', 'usr/sbin', 'bin', 'sbin']) {
      const host = path.join(driverRoot, dir, tool);
      if (existsSync(host)) { mounts.push({ destination: `/usr/bin/${tool}`, source: host, type: 'bind', readOnly: true }); break; }
    }
  }
  return mounts;
}

/** A path of the driver root's cache on the host, following a symlink that is absolute inside the root. */
function inRoot(root: string, file: string): string {
  const host = path.join(root, file);
  try {
    const link = readlinkSync(host);
    return link.startsWith('/') ? path.join(root, link) : host;
  } catch { return host; }
}

/** The CDI spec of these GPUs (kind nvidia.com/gpu; each GPU named by index and by UUID). */
export async function nvidiaCdiSpec(gpus: readonly Device[], opts: NvidiaEditOptions): Promise<Record<string, unknown>> {
  const devRoot = opts.devRoot ?? path.join(opts.driverRoot, 'dev');
  const node = (name: string): DeviceNodeEdit => ({ path: `/dev/${name}`, hostPath: path.join(devRoot, name), permissions: 'rw' });
  const devices = gpus.filter((g) => g.index !== undefined).flatMap((g) => [String(g.index), g.id].map((name) => ({ name, containerEdits: { deviceNodes: [node(`nvidia${g.index}`)] } })));
  const control = NVIDIA_CONTROL_NODES.filter((n) => existsSync(path.join(devRoot, n))).map(node);
  const mounts = (await driverMounts(opts.driverRoot)).map((m) => ({ hostPath: m.source, containerPath: m.destination, options: ['ro', 'nosuid', 'nodev', 'bind'] }));
  return { cdiVersion: '0.5.0', kind: 'nvidia.com/gpu', devices, containerEdits: { deviceNodes: control, mounts } };
}

/** The node's NVIDIA CDI spec file: nvidia-ctk's when it is installed, else generated; rewritten when the GPUs change. */
export class NvidiaCdi {
  private written = '';
  constructor(private readonly opts: NvidiaEditOptions) {}

  /** The spec file's path. */
  get file(): string { return path.join(this.opts.cdiDir, 'lantern-nvidia.json'); }

  /** Write the spec for these GPUs unless it is current. */
  async ensure(gpus: readonly Device[]): Promise<void> {
    const key = gpus.map((g) => `${g.index}:${g.id}`).join(',');
    if (key === this.written && existsSync(this.file)) return;
    await mkdir(this.opts.cdiDir, { recursive: true });
    const ctk = path.join(this.opts.driverRoot, 'usr/bin/nvidia-ctk');
    const tmp = `${this.file}.tmp`;
    if (existsSync(ctk)) {
      await run(ctk, ['cdi', 'generate', '--driver-root', this.opts.driverRoot, '--format', 'json', '--output', tmp]);
    } else {
      await writeFile(tmp, JSON.stringify(await nvidiaCdiSpec(gpus, this.opts), null, 1));
    }
    await rename(tmp, this.file);
    this.written = key;
  }

  /** The container edits of these GPUs (all: every GPU the node has, for the spec). */
  async edits(devices: Device[], all: readonly Device[]): Promise<ContainerEdits> {
    await this.ensure(all);
    const spec = await readCdiSpec(this.file);
    let out: ContainerEdits = {};
    for (const d of devices) out = mergeEdits(out, resolveCdiDevice([spec], `nvidia.com/gpu=${d.id}`));
    return mergeEdits(out, {
      env: { NVIDIA_VISIBLE_DEVICES: devices.map((d) => d.id).join(','), CUDA_VISIBLE_DEVICES: devices.map((_, i) => String(i)).join(',') },
    });
  }
}
