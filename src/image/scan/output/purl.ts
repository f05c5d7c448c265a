/** Package URLs (purl) for SBOM components, as Trivy writes them. */
import type { OsInfo, Package } from '../types.js';

const TYPE: Record<string, string> = { Debian: 'deb', Ubuntu: 'deb', Alpine: 'apk', npm: 'npm', PyPI: 'pypi', Go: 'golang', 'crates.io': 'cargo' };

/** The purl of a package; OS packages carry the distro qualifier. */
export function purl(p: Package, os?: OsInfo): string {
  const base = p.ecosystem.split(':')[0]!;
  const type = TYPE[base] ?? 'rpm';
  const ns = type === 'deb' || type === 'apk' ? `${(os?.family ?? base).toLowerCase()}/` : type === 'rpm' ? 'redhat/' : '';
  const name = p.name.split('/').map(encodeURIComponent).join('/');
  const q: string[] = [];
  if (p.arch) q.push(`arch=${encodeURIComponent(p.arch)}`);
  if (os && ns) q.push(`distro=${encodeURIComponent(`${os.family}-${os.name}`)}`);
  return `pkg:${type}/${ns}${name}@${encodeURIComponent(p.version)}${q.length ? `?${q.join('&')}` : ''}`;
}
