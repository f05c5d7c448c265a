import { readFileSync } from 'node:fs';
import { hostCapabilities } from './capabilities.js';

let nofileHard: number | undefined;

/** The hard RLIMIT_NOFILE of this process: runc may not set a container's above it. */
export function hostNofileHard(): number {
  if (nofileHard !== undefined) return nofileHard;
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.trim().split(/\s+/)[4];
  nofileHard = hard === undefined || hard === 'unlimited' ? 1048576 : Number(hard);
  return nofileHard;
}

/** The capabilities this process can hand to a container (its bounding set). */
export function hostCapabilitySet(): string[] {
  return hostCapabilities(readFileSync('/proc/self/status', 'utf8'));
}
