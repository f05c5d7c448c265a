/**
 * NVIDIA MPS for fractional GPUs: one `nvidia-cuda-mps-control -d` per shared GPU, started by the agent
 * with its pipe directory under the data dir; a container sharing that GPU gets the pipe directory
 * mounted and the limits MPS enforces (CUDA_MPS_PINNED_DEVICE_MEM_LIMIT,
 * CUDA_MPS_ACTIVE_THREAD_PERCENTAGE). MPS bounds memory and SMs per client; it does not isolate faults
 * or memory bandwidth (docs/architecture.md, "GPU sharing").
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ContainerEdits, Device } from './types.js';

/** Run `control -d` with stdin closed (it reads commands from stdin otherwise); resolves when it exits 0. */
function startControl(control: string, env: Record<string, string>, input?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(control, input === undefined ? ['-d'] : [], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    if (input !== undefined) child.stdin?.end(input);
    let err = '';
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => { if (code === 0) resolve(); else reject(new Error(`exit ${String(code)}: ${err.trim()}`)); });
  });
}

/** Where the control daemon is and where its pipes go. */
export interface MpsOptions {
  /** The driver's nvidia-cuda-mps-control (DRIVER_ROOT/usr/bin/...). */
  controlPath: string;
  /** One sub-directory per GPU (pipe/ and log/), e.g. DATA_DIR/devices/mps. */
  dir: string;
}

/** The path the pipe directory has inside a container. */
export const CONTAINER_PIPE_DIR = '/tmp/nvidia-mps';

/** The node's MPS control daemons, one per GPU that has a fractional share. */
export class MpsDaemons {
  private readonly starting = new Map<string, Promise<void>>();
  constructor(private readonly opts: MpsOptions) {}

  /** The pipe directory of a GPU's daemon on the host. */
  pipeDir(device: Device): string { return path.join(this.opts.dir, device.id.replace(/[^A-Za-z0-9_.-]/g, '_'), 'pipe'); }

  /** Start the GPU's daemon unless it runs (its control pipe exists, also after an agent restart). */
  ensure(device: Device): Promise<void> {
    const pipe = this.pipeDir(device);
    if (existsSync(path.join(pipe, 'control'))) return Promise.resolve();
    let p = this.starting.get(device.id);
    if (!p) {
      const log = path.join(path.dirname(pipe), 'log');
      mkdirSync(pipe, { recursive: true });
      mkdirSync(log, { recursive: true });
      // -d forks the daemon and returns; it serves only the GPU CUDA_VISIBLE_DEVICES names.
      p = startControl(this.opts.controlPath, { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', CUDA_VISIBLE_DEVICES: device.id, CUDA_MPS_PIPE_DIRECTORY: pipe, CUDA_MPS_LOG_DIRECTORY: log })
        .catch((e: unknown) => {
          this.starting.delete(device.id);
          throw new Error(`starting MPS for GPU ${device.id} (${this.opts.controlPath} -d): ${(e as Error).message}`);
        });
      this.starting.set(device.id, p);
    }
    return p;
  }

  /** Stop the GPU's daemon (its last share is gone): `echo quit | nvidia-cuda-mps-control`. */
  async quit(device: Device): Promise<void> {
    const pipe = this.pipeDir(device);
    this.starting.delete(device.id);
    await startControl(this.opts.controlPath, { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', CUDA_MPS_PIPE_DIRECTORY: pipe }, 'quit\n');
  }

  /** The container's share: the pipe directory and the limits for `bytes` of the GPU's memory. */
  edits(device: Device, bytes: number): ContainerEdits {
    const total = device.memoryBytes ?? bytes;
    const mib = Math.max(1, Math.floor(bytes / 2 ** 20));
    return {
      env: {
        CUDA_MPS_PIPE_DIRECTORY: CONTAINER_PIPE_DIR,
        // Device 0: the container sees only this GPU.
        CUDA_MPS_PINNED_DEVICE_MEM_LIMIT: `0=${mib}M`,
        CUDA_MPS_ACTIVE_THREAD_PERCENTAGE: String(Math.min(100, Math.max(1, Math.ceil((100 * bytes) / total)))),
      },
      mounts: [{ destination: CONTAINER_PIPE_DIR, source: this.pipeDir(device), type: 'bind' }],
    };
  }
}
