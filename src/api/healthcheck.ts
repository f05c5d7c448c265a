/**
 * Docker's HEALTHCHECK as Lantern carries it: the image config's Healthcheck (nanosecond durations, as
 * Docker stores them), `lcctl run --health-*` flags in a pod annotation of the same shape, merged the
 * way Docker merges them, and the result the agent reports as a pod condition that `lcctl ps` reads.
 */
import type { Pod, PodCondition } from './pod.js';

/** The pod annotation `lcctl run --health-*` / `--no-healthcheck` writes: JSON HealthConfig. */
export const HEALTHCHECK_ANNOTATION = 'lantern.dev/healthcheck';
/** The pod condition the agent reports: True healthy, False unhealthy, Unknown starting. */
export const HEALTH_CONDITION = 'lantern.dev/Healthy';

/** Docker's container/image config Healthcheck; durations in nanoseconds, 0 or absent means inherit. */
export interface HealthConfig {
  /** [] inherit, ["NONE"] disable, ["CMD", args...], ["CMD-SHELL", command]. */
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** A healthcheck to run: the command and Docker's timings with its defaults filled in. */
export interface ResolvedHealth { command: string[]; intervalMs: number; timeoutMs: number; startPeriodMs: number; retries: number }

/** Docker's health states. */
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** What the agent knows of one container's health (Docker's State.Health, last output only). */
export interface HealthState { status: HealthStatus; failingStreak: number; output?: string }

const nsPerMs = 1e6;
const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go duration ("30s", "1m30s", "500ms") in nanoseconds; throws a message naming flag. */
export function parseGoDuration(text: string, flag: string): number {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  if (text === '0') return 0;
  for (let m = re.exec(text); m; m = re.exec(text)) { total += Number(m[1]) * units[m[2]!]!; at = re.lastIndex; }
  if (text === '' || at !== text.length) throw new Error(`invalid argument "${text}" for "${flag}": a duration such as 30s, 1m30s or 500ms`);
  return Math.round(total);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Validate a HealthConfig from JSON (an image config or the annotation); throws with the field path. */
export function parseHealthConfig(v: unknown, what: string): HealthConfig {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what}: expected an object with Test, Interval, Timeout, StartPeriod, Retries`);
  const o = v as Record<string, unknown>;
  const out: HealthConfig = {};
  if (o.Test !== undefined && o.Test !== null) {
    if (!Array.isArray(o.Test) || !o.Test.every((s) => typeof s === 'string')) throw new Error(`${what}.Test: expected an array of strings`);
    const t = o.Test as string[];
    if (t.length > 0 && !['NONE', 'CMD', 'CMD-SHELL'].includes(t[0]!)) throw new Error(`${what}.Test[0]: expected NONE, CMD or CMD-SHELL, got ${JSON.stringify(t[0])}`);
    if ((t[0] === 'CMD' || t[0] === 'CMD-SHELL') && t.length < 2) throw new Error(`${what}.Test: ${t[0]} needs a command`);
    out.Test = t;
  }
  for (const k of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval', 'Retries'] as const) {
    if (o[k] === undefined || o[k] === null) continue;
    if (!isCount(o[k])) throw new Error(`${what}.${k}: expected a whole number >= 0${k === 'Retries' ? '' : ' of nanoseconds'}`);
    out[k] = o[k];
  }
  return out;
}

/**
 * Docker's merge: the container's (flags') Test and each non-zero timing win over the image's; no Test
 * or NONE means no healthcheck. Defaults: interval 30s, timeout 30s, start period 0, retries 3.
 */
export function resolveHealth(flags: HealthConfig | undefined, image: HealthConfig | undefined): ResolvedHealth | undefined {
  const test = flags?.Test && flags.Test.length > 0 ? flags.Test : image?.Test;
  if (!test || test.length < 2 || test[0] === 'NONE') return undefined;
  const pick = (k: 'Interval' | 'Timeout' | 'StartPeriod' | 'Retries'): number | undefined => (flags?.[k] || image?.[k]) || undefined;
  return {
    command: test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', test.slice(1).join(' ')] : test.slice(1),
    intervalMs: (pick('Interval') ?? 30e9) / nsPerMs,
    timeoutMs: (pick('Timeout') ?? 30e9) / nsPerMs,
    startPeriodMs: (pick('StartPeriod') ?? 0) / nsPerMs,
    retries: pick('Retries') ?? 3,
  };
}

/** The healthcheck flags of a pod (its annotation), or undefined; a bad annotation is an error. */
export function podHealthFlags(pod: Pod): HealthConfig | undefined {
  const raw = pod.metadata.annotations?.[HEALTHCHECK_ANNOTATION];
  if (raw === undefined) return undefined;
  let v: unknown;
  try { v = JSON.parse(raw); } catch { throw new Error(`annotation ${HEALTHCHECK_ANNOTATION}: not JSON`); }
  return parseHealthConfig(v, `annotation ${HEALTHCHECK_ANNOTATION}`);
}

const reasons: Record<HealthStatus, string> = { starting: 'Starting', healthy: 'Healthy', unhealthy: 'Unhealthy' };
const statuses: Record<HealthStatus, 'True' | 'False' | 'Unknown'> = { starting: 'Unknown', healthy: 'True', unhealthy: 'False' };

/** The condition for a health state (without lastTransitionTime). */
export function healthCondition(h: HealthState): Omit<PodCondition, 'lastTransitionTime'> {
  const msg = `FailingStreak=${h.failingStreak}${h.output ? `: ${h.output}` : ''}`;
  return { type: HEALTH_CONDITION, status: statuses[h.status], reason: reasons[h.status], message: msg.slice(0, 1024) };
}

/** The health of a pod as its condition says, or undefined when it has no healthcheck. */
export function podHealth(pod: Pod): HealthState | undefined {
  const c = pod.status?.conditions?.find((x) => x.type === HEALTH_CONDITION);
  if (!c) return undefined;
  const status = (Object.keys(reasons) as HealthStatus[]).find((s) => statuses[s] === c.status) ?? 'starting';
  const m = /^FailingStreak=(\d+)(?:: ([\s\S]*))?$/.exec(c.message ?? '');
  const out: HealthState = { status, failingStreak: m ? Number(m[1]) : 0 };
  if (m?.[2]) out.output = m[2];
  return out;
}

/** What `ps` appends to "Up ...": " (healthy)", " (unhealthy)", " (health: starting)". */
export function healthSuffix(h: HealthState | undefined): string {
  if (!h) return '';
  return h.status === 'starting' ? ' (health: starting)' : ` (${h.status})`;
}
