/**
 * A container's device nodes and device cgroup rules in OCI terms: linux.devices entries (type, major
 * and minor read from the host node with stat when the config leaves them out, as runc's --device in
 * Docker does) and linux.resources.devices allow rules after the default deny.
 */
import { statSync } from 'node:fs';
import type { ContainerConfig, DeviceSpec } from '../types.js';
import type { OciDevice, OciResources } from './oci-types.js';

type DeviceRule = OciResources['devices'][number];

/** The host node's type, major and minor; throws naming the path when it is not a device. */
export function statDevice(hostPath: string): { type: string; major: number; minor: number; mode: number; uid: number; gid: number } {
  let st;
  try { st = statSync(hostPath, { bigint: true }); } catch (e) {
    throw new Error(`device ${hostPath}: ${(e as Error).message}: the host has no such device node`);
  }
  let type: string;
  if (st.isCharacterDevice()) type = 'c';
  else if (st.isBlockDevice()) type = 'b';
  else if (st.isFIFO()) type = 'p';
  else throw new Error(`device ${hostPath} is not a character or block device`);
  const d = st.rdev;
  // glibc's gnu_dev_major/minor: the split layout of a 64-bit dev_t.
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return { type, major, minor, mode: Number(st.mode & 0o7777n), uid: Number(st.uid), gid: Number(st.gid) };
}

const RULE = /^([abc]) (\*|[0-9]+):(\*|[0-9]+) ([rwm]{1,3})$/;

/** Docker's --device-cgroup-rule 'c 188:* rwm' as an OCI allow rule; throws on a malformed one. */
export function parseCgroupRule(rule: string): DeviceRule {
  const m = RULE.exec(rule.trim());
  if (!m) throw new Error(`invalid device cgroup rule "${rule}": expected 'TYPE MAJOR:MINOR ACCESS' such as 'c 188:* rwm' (type a, b or c; * for any number)`);
  const out: DeviceRule = { allow: true, access: m[4]!, type: m[1]! };
  if (m[2] !== '*') out.major = Number(m[2]);
  if (m[3] !== '*') out.minor = Number(m[3]);
  return out;
}

function resolve(d: DeviceSpec): { dev: OciDevice; access: string } {
  const host = d.hostPath ?? d.path;
  const known = d.type !== undefined && d.major !== undefined && d.minor !== undefined;
  const st = known ? undefined : statDevice(host);
  const dev: OciDevice = {
    path: d.path,
    type: d.type ?? st!.type,
    major: d.major ?? st!.major,
    minor: d.minor ?? st!.minor,
  };
  const mode = d.fileMode ?? st?.mode;
  if (mode !== undefined) dev.fileMode = mode;
  const uid = d.uid ?? st?.uid;
  if (uid !== undefined) dev.uid = uid;
  const gid = d.gid ?? st?.gid;
  if (gid !== undefined) dev.gid = gid;
  return { dev, access: d.permissions || 'rwm' };
}

/** The container's linux.devices and the allow rules they and its cgroup rules need. */
export function buildDevices(config: Pick<ContainerConfig, 'devices' | 'deviceCgroupRules'>): { devices: OciDevice[]; rules: DeviceRule[] } {
  const devices: OciDevice[] = [];
  const rules: DeviceRule[] = [];
  const seen = new Set<string>();
  for (const d of config.devices ?? []) {
    if (seen.has(d.path)) continue;
    seen.add(d.path);
    const { dev, access } = resolve(d);
    devices.push(dev);
    rules.push({ allow: true, type: dev.type, major: dev.major, minor: dev.minor, access });
  }
  for (const r of config.deviceCgroupRules ?? []) rules.push(parseCgroupRule(r));
  return { devices, rules };
}
