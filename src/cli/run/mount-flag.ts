/**
 * Docker's --mount: type=volume|bind|tmpfs with source=/src=, target=/dst=/destination=, readonly|ro,
 * volume-opt=, tmpfs-size=, tmpfs-mode=; turned into pod volumes as -v and --tmpfs are.
 */
import type { Volume, VolumeMount } from '../../api/pod.js';
import { UsageError } from '../errors.js';

/** A parsed --mount. */
export interface MountFlag { type: 'volume' | 'bind' | 'tmpfs'; source?: string; target: string; readOnly: boolean; tmpfsSize?: string }

const bad = (raw: string, why: string): UsageError => new UsageError(`invalid argument "${raw}" for "--mount" flag: ${why}`);

/** Parses one --mount value (CSV of key=value, as Docker); throws naming the bad key. */
export function dockerMount(raw: string, cwd: string): MountFlag {
  let type: MountFlag['type'] = 'volume';
  let source: string | undefined;
  let target: string | undefined;
  let readOnly = false;
  let tmpfsSize: string | undefined;
  for (const field of raw.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : field.slice(eq + 1);
    switch (key) {
      case 'type':
        if (value !== 'volume' && value !== 'bind' && value !== 'tmpfs') throw bad(raw, `type=${value ?? ''}: expected volume, bind or tmpfs`);
        type = value;
        break;
      case 'source': case 'src': source = value; break;
      case 'target': case 'destination': case 'dst': target = value; break;
      case 'readonly': case 'ro':
        if (value !== undefined && !['true', 'false', '1', '0'].includes(value)) throw bad(raw, `${key}=${value}: expected true or false`);
        readOnly = value === undefined || value === 'true' || value === '1';
        break;
      case 'tmpfs-size':
        if (!value || !/^\d+[kmgKMG]?$/.test(value)) throw bad(raw, `tmpfs-size=${value ?? ''}: expected bytes, e.g. 64m`);
        tmpfsSize = value;
        break;
      case 'tmpfs-mode': case 'bind-propagation': case 'volume-nocopy': case 'consistency': case 'volume-driver': case 'volume-label': case 'volume-opt':
        break;
      default: throw bad(raw, `unknown key "${key}" (type, source, target, readonly, tmpfs-size)`);
    }
  }
  if (!target || !target.startsWith('/')) throw bad(raw, 'target= must be an absolute container path');
  if (type === 'tmpfs') {
    if (source) throw bad(raw, 'a tmpfs mount takes no source');
    return { type, target, readOnly, ...(tmpfsSize ? { tmpfsSize } : {}) };
  }
  if (type === 'bind') {
    if (!source) throw bad(raw, 'type=bind needs source=/host/path');
    if (!source.startsWith('/')) source = `${cwd.replace(/\/$/, '')}/${source}`;
    return { type, source, target, readOnly };
  }
  if (source !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source)) throw bad(raw, `"${source}" is not a volume name ("[a-zA-Z0-9][a-zA-Z0-9_.-]"); use type=bind for a host path`);
  return { type, ...(source ? { source } : {}), target, readOnly };
}

/** Docker's memory suffixes to a Kubernetes quantity (64m -> 64Mi). */
function sizeQuantity(s: string): string {
  const m = /^(\d+)([kmgKMG]?)$/.exec(s);
  return m ? `${m[1]!}${m[2] ? `${m[2].toUpperCase()}i` : ''}` : s;
}

/** Adds the pod volumes and mounts of each --mount (a named volume shared with -v NAME is one volume). */
export function addMounts(raws: readonly string[], cwd: string, vols: Volume[], mounts: VolumeMount[]): void {
  raws.forEach((raw, i) => {
    const m = dockerMount(raw, cwd);
    let name = `mount-${i}`;
    if (m.type === 'tmpfs') vols.push({ name, emptyDir: { medium: 'Memory', ...(m.tmpfsSize ? { sizeLimit: sizeQuantity(m.tmpfsSize) } : {}) } });
    else if (m.type === 'bind') vols.push({ name, hostPath: { path: m.source! } });
    else if (m.source === undefined) vols.push({ name, emptyDir: {} });
    else {
      name = `vol-${m.source.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63).replace(/-+$/, '');
      if (!vols.some((x) => x.name === name)) vols.push({ name, persistentVolumeClaim: { claimName: m.source } });
    }
    mounts.push(m.readOnly ? { name, mountPath: m.target, readOnly: true } : { name, mountPath: m.target });
  });
}
