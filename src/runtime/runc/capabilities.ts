import { ApiError } from '../../api/errors.js';

/** Every Linux capability runc 1.1 knows, in kernel bit order (bit n = index n). */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL',
  'CAP_SETGID', 'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST', 'CAP_NET_ADMIN', 'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT',
  'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE',
  'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG',
  'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/** Docker's default capability set (CapEff 0x00000000a80425fb). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Normalises "sys_admin", "CAP_SYS_ADMIN" or "ALL" to the runc spelling ("CAP_SYS_ADMIN", "ALL"). */
export function normaliseCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  if (upper === 'ALL') return 'ALL';
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) {
    throw new ApiError('Invalid', `unknown capability "${name}": use a Linux capability name such as NET_ADMIN or ALL`);
  }
  return full;
}

/**
 * Docker's rules: start from the default set; drop ALL empties it, add ALL fills it; then named
 * drops are removed and named adds win over named drops. "All" means all the host can grant
 * (its bounding set): runc cannot hand out a capability it does not hold itself.
 */
export function resolveCapabilities(
  caps?: { add?: string[]; drop?: string[] }, privileged = false, available: readonly string[] = ALL_CAPABILITIES,
): string[] {
  if (privileged) return ALL_CAPABILITIES.filter((c) => available.includes(c));
  const add = (caps?.add ?? []).map(normaliseCapability);
  const drop = (caps?.drop ?? []).map(normaliseCapability);
  let set = new Set<string>(DEFAULT_CAPABILITIES);
  if (drop.includes('ALL')) set.clear();
  if (add.includes('ALL')) set = new Set(available);
  for (const d of drop) if (d !== 'ALL') set.delete(d);
  for (const a of add) {
    if (a === 'ALL') continue;
    if (!available.includes(a)) {
      throw new ApiError('Invalid', `capability ${a} is not available on this host (not in its bounding set): remove it from capabilities.add`);
    }
    set.add(a);
  }
  return ALL_CAPABILITIES.filter((c) => set.has(c) && available.includes(c));
}

/** The capabilities this process may grant: its bounding set from /proc/self/status. */
export function hostCapabilities(statusText: string): string[] {
  const hex = /^CapBnd:\s*([0-9a-f]+)/m.exec(statusText)?.[1];
  if (!hex) return [...ALL_CAPABILITIES];
  const mask = BigInt(`0x${hex}`);
  return ALL_CAPABILITIES.filter((_c, bit) => (mask >> BigInt(bit)) & 1n);
}

/** The capability bitmask as /proc/<pid>/status prints it (CapEff: 16 hex digits). */
export function capabilityMask(caps: readonly string[]): string {
  let mask = 0n;
  for (const c of caps) {
    const bit = ALL_CAPABILITIES.indexOf(c);
    if (bit >= 0) mask |= 1n << BigInt(bit);
  }
  return mask.toString(16).padStart(16, '0');
}
