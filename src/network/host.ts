import { readFile, writeFile } from 'node:fs/promises';
import { ApiError } from '../api/errors.js';
import { overlaps, parseCidr } from './cidr.js';
import { runTool } from './exec.js';

/** Sets a sysctl under /proc/sys when it differs (dotted name, e.g. net.ipv4.ip_forward). */
export async function ensureSysctl(name: string, value: string): Promise<void> {
  const file = `/proc/sys/${name.replace(/\./g, '/')}`;
  const now = (await readFile(file, 'utf8')).trim();
  if (now !== value) await writeFile(file, value);
}

/**
 * Refuses a subnet that overlaps a route on another interface (another bridge, the LAN): the pods
 * would get addresses the host already routes elsewhere and traffic would silently go astray.
 */
export async function assertSubnetFree(subnet: string, bridge: string): Promise<void> {
  const ours = parseCidr(subnet);
  if (!ours) return;
  let routes: unknown;
  try {
    routes = JSON.parse(await runTool('ip', ['-4', '-j', 'route', 'show', 'table', 'main']));
  } catch {
    return; // cannot read routes: let the bridge plugin report what goes wrong
  }
  if (!Array.isArray(routes)) return;
  for (const r of routes as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const { dst, dev } = r as { dst?: unknown; dev?: unknown };
    if (typeof dst !== 'string' || dst === 'default' || dev === bridge) continue;
    const theirs = parseCidr(dst);
    if (theirs && theirs.prefix > 0 && overlaps(ours, theirs)) {
      throw new ApiError('Conflict', `pod subnet ${subnet} overlaps route ${dst} on ${String(dev)}; configure another subnet for bridge ${bridge}`);
    }
  }
}
