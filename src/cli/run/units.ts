/** Docker's flag value syntaxes for `run`: memory sizes, CPUs, published ports, volumes, users, restart. */
import type { ContainerPort } from '../../api/pod.js';
import { UsageError } from '../errors.js';

const bad = (flag: string, value: string, why: string): UsageError => new UsageError(`invalid argument "${value}" for "${flag}" flag: ${why}`);

/** Docker memory ("64m", "1.5g", "512k", "100mb", "1048576") as a Kubernetes quantity ("64Mi", bytes otherwise). */
export function dockerMemory(value: string, flag = '-m, --memory'): string {
  const m = /^(\d+(?:\.\d+)?) ?([bkmgtp])?(?:i?b)?$/i.exec(value.trim());
  if (!m) throw bad(flag, value, `invalid size: '${value}' (use a number with an optional unit b, k, m, g: for example 64m)`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const suffix: Record<string, [string, number]> = { b: ['', 1], k: ['Ki', 2 ** 10], m: ['Mi', 2 ** 20], g: ['Gi', 2 ** 30], t: ['Ti', 2 ** 40], p: ['Pi', 2 ** 50] };
  const [sfx, scale] = suffix[unit]!;
  if (n <= 0) throw bad(flag, value, 'must be greater than 0');
  return Number.isInteger(n) ? `${n}${sfx}` : String(Math.floor(n * scale));
}

/** docker --cpus ("0.5", "2") as a CPU quantity ("500m", "2"). */
export function dockerCpus(value: string): string {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw bad('--cpus', value, 'expected a positive number of CPUs such as 0.5 or 2');
  const millis = Math.round(n * 1000);
  if (millis < 1) throw bad('--cpus', value, 'must be at least 0.001');
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

function portRange(text: string, what: string, raw: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw bad('-p, --publish', raw, `invalid ${what}: ${text}`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  for (const p of [lo, hi]) if (p < 1 || p > 65535) throw bad('-p, --publish', raw, `invalid ${what}: ${p} (ports are 1-65535)`);
  if (hi < lo) throw bad('-p, --publish', raw, `invalid ${what} range: ${text}`);
  return [lo, hi];
}

/** docker -p "[ip:][hostPort:]containerPort[/tcp|udp]" (ranges allowed) as container ports. */
export function dockerPublish(raw: string): ContainerPort[] {
  let spec = raw;
  let proto: 'TCP' | 'UDP' = 'TCP';
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) {
    const p = spec.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp') throw bad('-p, --publish', raw, `unsupported protocol "${p}" (tcp or udp)`);
    proto = p === 'udp' ? 'UDP' : 'TCP';
    spec = spec.slice(0, slash);
  }
  let ip: string | undefined;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(.*)$/.exec(spec);
  if (v6) { ip = v6[1]; spec = v6[2]!; }
  const parts = spec.split(':');
  if (!v6 && parts.length === 3) ip = parts.shift();
  if (parts.length > 2 || parts.length === 0) throw bad('-p, --publish', raw, 'expected [ip:][hostPort:]containerPort[/protocol]');
  const ctr = portRange(parts[parts.length - 1]!, 'containerPort', raw);
  const hostText = parts.length === 2 ? parts[0]! : '';
  if (ip !== undefined && ip !== '' && !/^[0-9.]+$|:/.test(ip)) throw bad('-p, --publish', raw, `invalid IP address: ${ip}`);
  const host = hostText === '' ? undefined : portRange(hostText, 'hostPort', raw);
  const count = ctr[1] - ctr[0] + 1;
  if (host && host[1] - host[0] + 1 !== count) throw bad('-p, --publish', raw, 'host and container port ranges differ in length');
  const out: ContainerPort[] = [];
  for (let i = 0; i < count; i++) {
    const p: ContainerPort = { containerPort: ctr[0] + i, protocol: proto };
    if (host) p.hostPort = host[0] + i;
    if (ip) p.hostIP = ip;
    out.push(p);
  }
  return out;
}

/** A parsed -v: a bind mount, a named volume or an anonymous volume. */
export type VolumeFlag =
  | { kind: 'bind'; source: string; target: string; readOnly: boolean }
  | { kind: 'named'; source: string; target: string; readOnly: boolean }
  | { kind: 'anonymous'; target: string; readOnly: boolean };

/** docker -v "/host:/ctr[:ro]", "NAME:/ctr[:ro]" or "/ctr"; relative host paths (./x) resolve against cwd. */
export function dockerVolume(raw: string, cwd: string): VolumeFlag {
  const parts = raw.split(':');
  let readOnly = false;
  if (parts.length >= 2) {
    const last = parts[parts.length - 1]!;
    if (!last.startsWith('/') && parts.length === 3) {
      for (const opt of last.split(',')) {
        if (opt === 'ro') readOnly = true;
        else if (!['rw', 'z', 'Z', 'rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave', 'nocopy'].includes(opt)) {
          throw bad('-v, --volume', raw, `unknown mount option "${opt}" (ro or rw)`);
        }
      }
      parts.pop();
    }
  }
  if (parts.length === 1) {
    const target = parts[0]!;
    if (!target.startsWith('/')) throw bad('-v, --volume', raw, 'the container path must be absolute');
    return { kind: 'anonymous', target, readOnly };
  }
  if (parts.length !== 2) throw bad('-v, --volume', raw, 'expected /host/path:/container/path[:ro], NAME:/container/path[:ro] or /container/path');
  const [source, target] = parts as [string, string];
  if (!target.startsWith('/')) throw bad('-v, --volume', raw, 'the container path must be absolute');
  if (source === '') throw bad('-v, --volume', raw, 'empty source');
  if (source.startsWith('/')) return { kind: 'bind', source, target, readOnly };
  if (source === '.' || source === '..' || source.startsWith('./') || source.startsWith('../')) {
    const abs = `${cwd.replace(/\/$/, '')}/${source}`.split('/').reduce<string[]>((acc, seg) => {
      if (seg === '..') acc.pop(); else if (seg !== '.' && seg !== '') acc.push(seg);
      return acc;
    }, []);
    return { kind: 'bind', source: '/' + abs.join('/'), target, readOnly };
  }
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(source)) {
    throw bad('-v, --volume', raw, `"${source}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed; use an absolute path for a bind mount`);
  }
  return { kind: 'named', source, target, readOnly };
}

/** docker -u "uid[:gid]" (numeric; "root" is uid 0). */
export function dockerUser(raw: string, flag = '-u, --user'): { uid: number; gid?: number } {
  const [u = '', g] = raw.split(':');
  const num = (s: string): number | undefined => (/^\d+$/.test(s) ? Number(s) : s === 'root' ? 0 : undefined);
  const uid = num(u);
  const gid = g === undefined ? undefined : num(g);
  if (uid === undefined || (g !== undefined && gid === undefined)) {
    throw bad(flag, raw, 'Lantern needs a numeric uid[:gid] (for example 1000 or 1000:1000); user and group names from the image are not resolved');
  }
  return gid === undefined ? { uid } : { uid, gid };
}

/** docker --restart as the pod restart policy plus the on-failure retry limit. */
export function dockerRestart(raw: string): { policy: 'Never' | 'OnFailure' | 'Always'; maxRestarts?: number } {
  if (raw === 'no') return { policy: 'Never' };
  if (raw === 'always' || raw === 'unless-stopped') return { policy: 'Always' };
  const m = /^on-failure(?::(\d+))?$/.exec(raw);
  if (m) return m[1] === undefined ? { policy: 'OnFailure' } : { policy: 'OnFailure', maxRestarts: Number(m[1]) };
  throw bad('--restart', raw, 'expected no, always, unless-stopped or on-failure[:max-retries]');
}

/** Parse one KEY=VALUE (or bare KEY, taking the value from env; undefined when unset there). */
export function envPair(raw: string, env: NodeJS.ProcessEnv, flag = '-e, --env'): { name: string; value: string } | undefined {
  const eq = raw.indexOf('=');
  const name = eq < 0 ? raw : raw.slice(0, eq);
  if (name === '' || /\s/.test(name)) throw bad(flag, raw, 'expected KEY=VALUE or KEY');
  if (eq >= 0) return { name, value: raw.slice(eq + 1) };
  const v = env[name];
  return v === undefined ? undefined : { name, value: v };
}

/** Lines of a docker --env-file: KEY=VALUE or KEY, '#' comments and blank lines skipped. */
export function envFileLines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.replace(/^\s+/, '')).filter((l) => l !== '' && !l.startsWith('#'));
}
