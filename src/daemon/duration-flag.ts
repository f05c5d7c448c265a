import { parseDuration } from '../api/duration.js';
import { FlagError } from './flags.js';

/** A duration flag ("10s", "1m30s") in milliseconds, or the default when it is absent; positive: 0 is refused. */
export function durationFlag(flags: Record<string, string | boolean>, name: string, defaultMs: number, positive = false): number {
  const v = flags[name];
  if (v === undefined) return defaultMs;
  const ms = typeof v === 'string' ? parseDuration(v) : undefined;
  if (positive && ms === 0) throw new FlagError(`--${name} must be more than 0 (e.g. 10s)`);
  if (ms === undefined || ms < 0) throw new FlagError(`invalid value ${JSON.stringify(v)} for --${name}: expected a duration such as 10s, 1m30s or 500ms`);
  return ms;
}
