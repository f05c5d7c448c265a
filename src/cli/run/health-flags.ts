/** Docker's --health-* and --no-healthcheck flags of `lcctl run`, written as the pod's healthcheck annotation. */
import type { FlagSpec, Parsed } from '../args.js';
import { HEALTHCHECK_ANNOTATION, parseGoDuration, type HealthConfig } from '../../api/healthcheck.js';
import { UsageError } from '../errors.js';

/** The healthcheck flags, as Docker names them. */
export const healthFlags: FlagSpec[] = [
  { name: 'health-cmd', type: 'string', help: 'Command to run to check health (run by /bin/sh -c in the container)' },
  { name: 'health-interval', type: 'string', help: 'Time between running the check (ms|s|m|h) (default 30s)' },
  { name: 'health-timeout', type: 'string', help: 'Maximum time to allow one check to run (ms|s|m|h) (default 30s)' },
  { name: 'health-retries', type: 'int', help: 'Consecutive failures needed to report unhealthy (default 3)' },
  { name: 'health-start-period', type: 'string', help: 'Start period for the container to initialize before failures count (ms|s|m|h) (default 0s)' },
  { name: 'no-healthcheck', type: 'bool', help: 'Disable any container-specified HEALTHCHECK' },
];

/** The healthcheck the flags ask for (merged with the image's HEALTHCHECK on the node), or undefined. */
export function healthConfigOf(p: Parsed): HealthConfig | undefined {
  const cmd = p.str('health-cmd');
  const timing = ['health-interval', 'health-timeout', 'health-retries', 'health-start-period'].filter((f) => p.has(f));
  if (p.bool('no-healthcheck')) {
    if (cmd !== undefined || timing.length > 0) throw new UsageError('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (cmd === undefined && timing.length === 0) return undefined;
  const out: HealthConfig = {};
  if (cmd !== undefined) {
    if (cmd.trim() === '') throw new UsageError('invalid argument "" for "--health-cmd": a command is required');
    out.Test = ['CMD-SHELL', cmd];
  }
  const duration = (flag: string): number | undefined => {
    const v = p.str(flag);
    if (v === undefined) return undefined;
    try { return parseGoDuration(v, `--${flag}`); } catch (e) { throw new UsageError((e as Error).message); }
  };
  const interval = duration('health-interval'); if (interval) out.Interval = interval;
  const timeout = duration('health-timeout'); if (timeout) out.Timeout = timeout;
  const start = duration('health-start-period'); if (start) out.StartPeriod = start;
  const retries = p.int('health-retries');
  if (retries !== undefined) {
    if (retries < 0) throw new UsageError('--health-retries cannot be negative');
    if (retries > 0) out.Retries = retries;
  }
  return out;
}

/** Put the flags' healthcheck on the pod's annotations, if any flag was given. */
export function annotateHealth(p: Parsed, annotations: Record<string, string>): void {
  const hc = healthConfigOf(p);
  if (hc) annotations[HEALTHCHECK_ANNOTATION] = JSON.stringify(hc);
}
