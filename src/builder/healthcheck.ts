/** HEALTHCHECK's arguments as Docker's builder reads them: NONE, or [--flags] CMD in shell or JSON form. */
import { DockerfileError, jsonForm, type Instruction } from './dockerfile.js';
import { parseGoDuration, type HealthConfig } from '../api/healthcheck.js';

/** The image config Healthcheck for a HEALTHCHECK instruction (durations in nanoseconds, as Docker). */
export function healthcheckConfig(file: string, ins: Instruction): HealthConfig {
  const fail = (what: string): never => { throw new DockerfileError(file, ins.line, what); };
  const m = /^(\S+)\s*([\s\S]*)$/.exec(ins.args.trim());
  const kind = m?.[1]?.toUpperCase();
  if (kind === 'NONE') {
    if (m?.[2] || Object.keys(ins.flags).length > 0) fail('HEALTHCHECK NONE takes no arguments or flags');
    return { Test: ['NONE'] };
  }
  if (kind !== 'CMD' || !m?.[2]) return fail('HEALTHCHECK needs NONE or CMD followed by a command, e.g. HEALTHCHECK --interval=5s CMD wget -q -O- localhost/health');
  const json = jsonForm(m[2]);
  const out: HealthConfig = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', m[2].trim()] };
  const duration = (flag: string): number | undefined => {
    const v = ins.flags[flag];
    if (v === undefined) return undefined;
    try { return parseGoDuration(v, `--${flag}`); } catch (e) { return fail(`HEALTHCHECK ${(e as Error).message}`); }
  };
  const interval = duration('interval'); if (interval) out.Interval = interval;
  const timeout = duration('timeout'); if (timeout) out.Timeout = timeout;
  const start = duration('start-period'); if (start) out.StartPeriod = start;
  const startInterval = duration('start-interval'); if (startInterval) out.StartInterval = startInterval;
  const retries = ins.flags.retries;
  if (retries !== undefined) {
    if (!/^\d+$/.test(retries)) fail(`HEALTHCHECK --retries=${retries}: expected a whole number`);
    if (Number(retries) > 0) out.Retries = Number(retries);
  }
  return out;
}
