/**
 * CDI (Container Device Interface) spec files, as podman, containerd and Docker 25+ read them: JSON
 * or YAML, cdiVersion 0.3.0-0.8.0, `kind: vendor.com/class`, devices[] with containerEdits, and
 * spec-wide containerEdits every device of the spec also gets. Validation names the field path.
 * `cdiDevice('vendor.com/class=name')` resolves a fully-qualified name to ContainerEdits.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { MountSpec } from '../../../runtime/types.js';
import type { ContainerEdits, DeviceNodeEdit } from '../types.js';
import { mergeEdits } from '../edits.js';

/** One problem in a spec: where, and what was expected. */
export interface CdiProblem { field: string; message: string }

/** A spec that passed validation. */
export interface CdiSpec {
  file: string;
  cdiVersion: string;
  /** vendor.com/class */
  kind: string;
  devices: { name: string; edits: ContainerEdits }[];
  edits: ContainerEdits;
}

/** A spec file that did not. */
export class CdiSpecError extends Error {
  constructor(readonly file: string, readonly problems: CdiProblem[]) {
    super(`CDI spec ${file}: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
  }
}

const vendorRe = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const classRe = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/;
const nameRe = /^[A-Za-z0-9]([A-Za-z0-9_.:-]*[A-Za-z0-9])?$/;
const versions = ['0.3.0', '0.4.0', '0.5.0', '0.6.0', '0.7.0', '0.8.0'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `kind` is vendor.com/class. */
export function validKind(kind: string): boolean {
  const [vendor, cls, extra] = kind.split('/');
  return extra === undefined && vendor !== undefined && cls !== undefined && vendorRe.test(vendor) && vendor.includes('.') && classRe.test(cls);
}

/** Split a fully-qualified device name 'vendor.com/class=name'; undefined if it is not one. */
export function parseQualifiedName(fq: string): { kind: string; name: string } | undefined {
  const eq = fq.indexOf('=');
  if (eq < 0) return undefined;
  const kind = fq.slice(0, eq);
  const name = fq.slice(eq + 1);
  return validKind(kind) && nameRe.test(name) ? { kind, name } : undefined;
}

function editsFrom(raw: unknown, at: string, out: CdiProblem[]): ContainerEdits {
  if (raw === undefined || raw === null) return {};
  if (!isObj(raw)) { out.push({ field: at, message: 'must be an object (env, deviceNodes, mounts, hooks)' }); return {}; }
  const edits: ContainerEdits = {};
  if (raw.env !== undefined) {
    if (!Array.isArray(raw.env)) out.push({ field: `${at}.env`, message: 'must be a list of "NAME=value" strings' });
    else {
      edits.env = {};
      raw.env.forEach((e, i) => {
        const eq = typeof e === 'string' ? e.indexOf('=') : -1;
        if (typeof e !== 'string' || eq <= 0) out.push({ field: `${at}.env[${i}]`, message: `must be "NAME=value", got ${JSON.stringify(e)}` });
        else edits.env![e.slice(0, eq)] = e.slice(eq + 1);
      });
    }
  }
  if (raw.deviceNodes !== undefined) {
    if (!Array.isArray(raw.deviceNodes)) out.push({ field: `${at}.deviceNodes`, message: 'must be a list' });
    else edits.deviceNodes = raw.deviceNodes.map((d, i) => deviceNode(d, `${at}.deviceNodes[${i}]`, out));
  }
  if (raw.mounts !== undefined) {
    if (!Array.isArray(raw.mounts)) out.push({ field: `${at}.mounts`, message: 'must be a list' });
    else edits.mounts = raw.mounts.map((m, i) => mount(m, `${at}.mounts[${i}]`, out));
  }
  return edits;
}

function deviceNode(raw: unknown, at: string, out: CdiProblem[]): DeviceNodeEdit {
  if (!isObj(raw)) { out.push({ field: at, message: 'must be an object with path' }); return { path: '' }; }
  const p = raw.path;
  if (typeof p !== 'string' || !path.isAbsolute(p)) out.push({ field: `${at}.path`, message: `must be an absolute path such as /dev/fpga0, got ${JSON.stringify(p)}` });
  if (raw.hostPath !== undefined && (typeof raw.hostPath !== 'string' || !path.isAbsolute(raw.hostPath))) out.push({ field: `${at}.hostPath`, message: 'must be an absolute path' });
  if (raw.type !== undefined && !['c', 'b', 'u', 'p'].includes(String(raw.type))) out.push({ field: `${at}.type`, message: 'must be one of c, b, u, p' });
  if (raw.permissions !== undefined && (typeof raw.permissions !== 'string' || !/^[rwm]{1,3}$/.test(raw.permissions))) out.push({ field: `${at}.permissions`, message: 'must be made of r, w and m' });
  for (const k of ['major', 'minor', 'fileMode', 'uid', 'gid']) {
    if (raw[k] !== undefined && (typeof raw[k] !== 'number' || !Number.isInteger(raw[k]) || (raw[k] as number) < 0)) out.push({ field: `${at}.${k}`, message: 'must be a whole number >= 0' });
  }
  const n: DeviceNodeEdit = { path: String(p ?? '') };
  for (const k of ['hostPath', 'type', 'permissions'] as const) if (typeof raw[k] === 'string') n[k] = raw[k] as string;
  for (const k of ['major', 'minor', 'fileMode', 'uid', 'gid'] as const) if (typeof raw[k] === 'number') n[k] = raw[k] as number;
  return n;
}

function mount(raw: unknown, at: string, out: CdiProblem[]): MountSpec {
  if (!isObj(raw)) { out.push({ field: at, message: 'must be an object with hostPath and containerPath' }); return { source: '', destination: '', type: 'bind' }; }
  for (const k of ['hostPath', 'containerPath']) {
    if (typeof raw[k] !== 'string' || !path.isAbsolute(raw[k] as string)) out.push({ field: `${at}.${k}`, message: `must be an absolute path, got ${JSON.stringify(raw[k])}` });
  }
  const options = Array.isArray(raw.options) ? raw.options.filter((o): o is string => typeof o === 'string') : [];
  return { source: String(raw.hostPath ?? ''), destination: String(raw.containerPath ?? ''), type: raw.type === 'tmpfs' ? 'tmpfs' : 'bind', readOnly: options.includes('ro'), options };
}

/** Validate a parsed spec document; throws CdiSpecError naming every problem. */
export function validateCdiSpec(doc: unknown, file: string): CdiSpec {
  const out: CdiProblem[] = [];
  if (!isObj(doc)) throw new CdiSpecError(file, [{ field: '(root)', message: 'must be an object with cdiVersion, kind and devices' }]);
  const v = doc.cdiVersion;
  if (typeof v !== 'string' || !versions.includes(v)) out.push({ field: 'cdiVersion', message: `must be one of ${versions.join(', ')}, got ${JSON.stringify(v)}` });
  const kind = doc.kind;
  if (typeof kind !== 'string' || !validKind(kind)) out.push({ field: 'kind', message: `must be vendor.com/class (a vendor domain, "/", a class), got ${JSON.stringify(kind)}` });
  const devices: CdiSpec['devices'] = [];
  if (!Array.isArray(doc.devices) || doc.devices.length === 0) out.push({ field: 'devices', message: 'must list at least one device' });
  else {
    const names = new Set<string>();
    doc.devices.forEach((d, i) => {
      const at = `devices[${i}]`;
      if (!isObj(d)) { out.push({ field: at, message: 'must be an object with name and containerEdits' }); return; }
      if (typeof d.name !== 'string' || !nameRe.test(d.name)) out.push({ field: `${at}.name`, message: `must be letters, digits and _.:- (starting and ending alphanumeric), got ${JSON.stringify(d.name)}` });
      else if (names.has(d.name)) out.push({ field: `${at}.name`, message: `duplicate device name ${JSON.stringify(d.name)}` });
      else names.add(d.name);
      if (d.containerEdits === undefined) out.push({ field: `${at}.containerEdits`, message: 'is required' });
      devices.push({ name: String(d.name), edits: editsFrom(d.containerEdits, `${at}.containerEdits`, out) });
    });
  }
  const edits = editsFrom(doc.containerEdits, 'containerEdits', out);
  if (out.length > 0) throw new CdiSpecError(file, out);
  return { file, cdiVersion: String(v), kind: String(kind), devices, edits };
}

/** Read and validate one spec file (.json, .yaml or .yml). */
export async function readCdiSpec(file: string): Promise<CdiSpec> {
  const text = await readFile(file, 'utf8');
  let doc: unknown;
  try { doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text); } catch (e) {
    throw new CdiSpecError(file, [{ field: '(file)', message: `not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` }]);
  }
  return validateCdiSpec(doc, file);
}

/** Every valid spec in these dirs (later dirs win on a clash of kind and name, as CDI's priority); bad files go to onError. */
export async function readCdiSpecs(dirs: readonly string[], onError?: (e: Error) => void): Promise<CdiSpec[]> {
  const specs: CdiSpec[] = [];
  for (const dir of dirs) {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /\.(json|ya?ml)$/.test(n)).sort();
    for (const n of names) {
      try { specs.push(await readCdiSpec(path.join(dir, n))); } catch (e) { onError?.(e instanceof Error ? e : new Error(String(e))); }
    }
  }
  return specs;
}

/** The edits for 'vendor.com/class=name' from these specs: the spec's edits and then the device's. Throws when unknown. */
export function resolveCdiDevice(specs: readonly CdiSpec[], fq: string): ContainerEdits {
  const q = parseQualifiedName(fq);
  if (!q) throw new Error(`${JSON.stringify(fq)} is not a CDI device name: expected vendor.com/class=name`);
  for (const spec of [...specs].reverse()) {
    if (spec.kind !== q.kind) continue;
    const dev = spec.devices.find((d) => d.name === q.name);
    if (dev) return mergeEdits(spec.edits, dev.edits);
  }
  const known = specs.filter((s) => s.kind === q.kind).flatMap((s) => s.devices.map((d) => `${s.kind}=${d.name}`));
  throw new Error(`unknown CDI device ${fq}${known.length > 0 ? `: this node has ${known.join(', ')}` : `: no CDI spec on this node has kind ${q.kind}`}`);
}

/** The default spec dirs, in priority order (later wins). */
export const defaultCdiSpecDirs = ['/etc/cdi', '/var/run/cdi'];

/** Resolve 'vendor.com/class=name' against the spec dirs now (G2's --device and G3's Allocate CDI names use it). */
export async function cdiDevice(fq: string, dirs: readonly string[] = defaultCdiSpecDirs): Promise<ContainerEdits> {
  return resolveCdiDevice(await readCdiSpecs(dirs), fq);
}
