/** The OS/architecture pair an image is built for, in OCI spelling. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const ARCH: Record<string, string> = {
  x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64',
};

/** Node's process.arch -> OCI/GOARCH name ("x64" -> "amd64"). */
export function ociArch(nodeArch: string = process.arch): string {
  return ARCH[nodeArch] ?? nodeArch;
}

/** The platform of this node. */
export function nodePlatform(): Platform {
  return { os: 'linux', architecture: ociArch() };
}

/** Whether an image for `p` runs on `want`; variants only matter when both sides name one. */
export function platformMatches(p: Platform, want: Platform): boolean {
  if (p.os !== want.os || p.architecture !== want.architecture) return false;
  return !p.variant || !want.variant || p.variant === want.variant;
}

/** "linux/arm64/v8". */
export function platformString(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}
