/**
 * A FAKE NVIDIA (and Ascend) driver root for tests on machines without accelerators: real character
 * devices made with mknod under ROOT/dev (NVIDIA's major 195; a stand-in uvm major), an nvidia-smi
 * and an npu-smi that print output in real ones' layout (recorded.ts), placeholder driver libraries (real ELF
 * shared objects that do nothing) with an ld.so.cache made by `ldconfig -r`, a CDI spec dir and a
 * sysfs tree with an NVIDIA PCI function. Nothing here drives a device: it is named FAKE everywhere.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { recordedErrorRow, recordedNpuSmi, recordedQuery, recordedTopology, type FakeGpuModel } from './recorded.js';
import { fakeCdiSpec, fakeMpsControl, fakeNpuSmi, fakeNvidiaSmi } from './scripts.js';

const run = promisify(execFile);

/** NVIDIA's fixed character major (nvidia0.., nvidiactl 255, nvidia-modeset 254). */
export const nvidiaMajor = 195;
/** nvidia-uvm's major is dynamic on a real host (/proc/devices); the fake uses this one. */
export const fakeUvmMajor = 236;
/** The fake Ascend davinci major (dynamic on real hosts too). */
export const fakeDavinciMajor = 239;
/** The driver version the placeholder libraries carry in their names. */
export const fakeDriverVersion = '550.54.15';

/** What to put in the fake root. */
export interface FakeGpuOptions {
  model?: FakeGpuModel;
  /** Ascend NPUs (davinci nodes and npu-smi); default none. */
  npus?: number;
  /** Write the fake CDI spec (kind fake.lantern.dev/fpga, devices fpga0 and fpga1); default true. */
  cdi?: boolean;
  /** An NVIDIA function under sys/bus/pci (feature.node.kubernetes.io/pci-10de.present); default true. */
  pci?: boolean;
  /** Where to make it (default a new temp dir with prefix lt-fakegpu-). */
  dir?: string;
}

/** A fake driver root on disk; remove() it in `after`. */
export interface FakeGpuRoot {
  /** --nvidia-driver-root: ROOT/usr/bin/nvidia-smi, ROOT/dev/nvidia*, ROOT/etc/ld.so.cache. */
  root: string;
  /** --sysfs-root. */
  sysfsRoot: string;
  /** --cdi-spec-dirs. */
  cdiDir: string;
  /** The GPUs' UUIDs by index, as the fake nvidia-smi reports them. */
  uuids: string[];
  model: string;
  /** Make GPU `index` report an error row ('fail'), vanish from the query ('gone'), or be well ('ok'). */
  setGpu(index: number, state: 'ok' | 'fail' | 'gone'): Promise<void>;
  remove(): Promise<void>;
}

async function mknod(file: string, major: number, minor: number): Promise<void> {
  await run('mknod', ['-m', '666', file, 'c', String(major), String(minor)]);
}

/** Build one placeholder shared library with this soname (a real ELF object, so ldconfig lists it). */
async function placeholderLib(dir: string, soname: string): Promise<void> {
  const src = path.join(dir, `.${soname}.c`);
  await writeFile(src, '/* FAKE driver library (Lantern test kit): no GPU code. */\nint lantern_fake_gpu_library(void) { return 0; }\n');
  const file = path.join(dir, `${soname.replace(/\.so\.[0-9]+$/, '.so')}.${fakeDriverVersion}`);
  await run('cc', ['-shared', '-fPIC', '-o', file, `-Wl,-soname,${soname}`, src]);
  await unlink(src);
}

/** Make a fake driver root. */
export async function makeFakeGpuRoot(opts: FakeGpuOptions = {}): Promise<FakeGpuRoot> {
  const model = opts.model ?? 'a100x4';
  const root = opts.dir ?? await mkdtemp(path.join(os.tmpdir(), 'lt-fakegpu-'));
  const share = path.join(root, 'usr/share/fake-gpu');
  const libDir = path.join(root, 'usr/lib/x86_64-linux-gnu');
  for (const d of ['dev', 'usr/bin', 'usr/local/sbin', 'etc/cdi', 'var/cache/ldconfig', path.join('usr/share/fake-gpu/state'), 'usr/lib/x86_64-linux-gnu']) await mkdir(path.join(root, d), { recursive: true });
  const rows = recordedQuery[model].trim().split('\n');
  const uuids = rows.map((r) => r.split(',')[1]?.trim() ?? '');
  const names = rows.map((r) => r.split(',')[2]?.trim() ?? '');
  await writeFile(path.join(share, 'query.csv'), recordedQuery[model]);
  await writeFile(path.join(share, 'topo.txt'), recordedTopology[model]);
  await writeFile(path.join(share, 'list.txt'), uuids.map((u, i) => `GPU ${i}: ${names[i]} (UUID: ${u})\n`).join(''));
  for (const [i, u] of uuids.entries()) await writeFile(path.join(share, `error-${i}.csv`), `${recordedErrorRow(i, u, names[i] ?? '')}\n`);
  await writeFile(path.join(root, 'usr/bin/nvidia-smi'), fakeNvidiaSmi, { mode: 0o755 });
  await writeFile(path.join(root, 'usr/bin/nvidia-cuda-mps-control'), fakeMpsControl, { mode: 0o755 });
  for (let i = 0; i < uuids.length; i++) await mknod(path.join(root, 'dev', `nvidia${i}`), nvidiaMajor, i);
  await mknod(path.join(root, 'dev/nvidiactl'), nvidiaMajor, 255);
  await mknod(path.join(root, 'dev/nvidia-modeset'), nvidiaMajor, 254);
  await mknod(path.join(root, 'dev/nvidia-uvm'), fakeUvmMajor, 0);
  await mknod(path.join(root, 'dev/nvidia-uvm-tools'), fakeUvmMajor, 1);
  for (const soname of ['libcuda.so.1', 'libnvidia-ml.so.1', 'libnvidia-ptxjitcompiler.so.1']) await placeholderLib(libDir, soname);
  await writeFile(path.join(root, 'etc/ld.so.conf'), '/usr/lib/x86_64-linux-gnu\n');
  await run('ldconfig', ['-r', root]);
  const npus = opts.npus ?? 0;
  if (npus > 0) {
    await writeFile(path.join(root, 'usr/local/sbin/npu-smi'), fakeNpuSmi(recordedNpuSmi), { mode: 0o755 });
    for (let i = 0; i < npus; i++) await mknod(path.join(root, 'dev', `davinci${i}`), fakeDavinciMajor, i);
    await mknod(path.join(root, 'dev/davinci_manager'), fakeDavinciMajor + 1, 0);
    await mknod(path.join(root, 'dev/devmm_svm'), fakeDavinciMajor + 2, 0);
    await mknod(path.join(root, 'dev/hisi_hdc'), fakeDavinciMajor + 3, 0);
  }
  const cdiDir = path.join(root, 'etc/cdi');
  if (opts.cdi ?? true) {
    for (const n of [0, 1]) await mknod(path.join(root, 'dev', `fake-fpga${n}`), 1, 3); // /dev/null's numbers: harmless if opened
    await writeFile(path.join(cdiDir, 'fake-fpga.yaml'), fakeCdiSpec(path.join(root, 'dev')));
  }
  const sysfsRoot = path.join(root, 'sys');
  if (opts.pci ?? true) {
    const fn = path.join(sysfsRoot, 'bus/pci/devices/0000:07:00.0');
    await mkdir(fn, { recursive: true });
    await writeFile(path.join(fn, 'vendor'), '0x10de\n');
    await writeFile(path.join(fn, 'class'), '0x030200\n');
  }
  await chmod(root, 0o755);
  return {
    root, sysfsRoot, cdiDir, uuids, model,
    async setGpu(index, state) {
      for (const s of ['fail', 'gone']) await rm(path.join(share, 'state', `${s}-${index}`), { force: true });
      if (state !== 'ok') await writeFile(path.join(share, 'state', `${state}-${index}`), '');
    },
    async remove() { await rm(root, { recursive: true, force: true }); },
  };
}

