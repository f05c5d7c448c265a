/** --gpu-sharing and --gpu-time-slicing: how a node shares its GPUs (agent/devices/units.ts). */
import type { Sharing } from '../agent/devices/units.js';
import { FlagError } from './flags.js';

/** The flags' types for parseFlags. */
export const gpuSharingFlags = { 'gpu-sharing': 'string', 'gpu-time-slicing': 'string' } as const;

/** Their lines in --help. */
export const gpuSharingUsage = `  --gpu-sharing MODE    none (default), time-slicing (each GPU advertised as --gpu-time-slicing replicas)
                        or mps (lantern.dev/gpu-memory shares enforced by NVIDIA MPS)
  --gpu-time-slicing K  replicas per GPU with time-slicing (default 2; implies --gpu-sharing time-slicing)
`;

/** Parse and check them. */
export function gpuSharingFromFlags(flags: Record<string, string | boolean | undefined>): Sharing {
  const k = flags['gpu-time-slicing'];
  let mode = flags['gpu-sharing'];
  if (mode === undefined) mode = k === undefined ? 'none' : 'time-slicing';
  if (mode !== 'none' && mode !== 'time-slicing' && mode !== 'mps') throw new FlagError(`--gpu-sharing: ${JSON.stringify(mode)}: expected none, time-slicing or mps`);
  let replicas = mode === 'time-slicing' ? 2 : 1;
  if (k !== undefined) {
    if (typeof k !== 'string' || !/^[0-9]+$/.test(k) || Number(k) < 1 || Number(k) > 64) throw new FlagError('--gpu-time-slicing: expected a number of replicas per GPU from 1 to 64');
    if (mode !== 'time-slicing') throw new FlagError('--gpu-time-slicing needs --gpu-sharing time-slicing');
    replicas = Number(k);
  }
  return { mode, replicas };
}
