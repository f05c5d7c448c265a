/**
 * Kubernetes' CronJob schedules on croner: five fields (minute hour day-of-month month day-of-week,
 * Vixie's OR of the two day fields when both are set) or a macro (@yearly, @annually, @monthly,
 * @weekly, @daily, @midnight, @hourly), in spec.timeZone (an IANA name) or UTC. Croner's six-field
 * (seconds) form and @every are refused, as Kubernetes refuses them.
 */
import { Cron } from 'croner';

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** A parsed schedule: the next run strictly after a time. */
export interface CronSchedule { next(after: number): number | undefined }

/** Whether a time zone name is one this runtime knows. */
export function validTimeZone(tz: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

/** Parse a schedule; throws an Error saying what is wrong and what is expected. */
export function parseSchedule(schedule: string, timeZone?: string): CronSchedule {
  const text = schedule.trim();
  if (/^(TZ|CRON_TZ)=/.test(text)) throw new Error('CRON_TZ or TZ is not supported in the schedule: use spec.timeZone');
  const pattern = text.startsWith('@') ? macros[text.toLowerCase()] : text;
  if (pattern === undefined) throw new Error(`unknown macro ${JSON.stringify(text)}: expected one of ${Object.keys(macros).join(', ')}`);
  const fields = pattern.split(/\s+/).length;
  if (fields !== 5) throw new Error(`expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields}: ${JSON.stringify(text)}`);
  if (timeZone !== undefined && !validTimeZone(timeZone)) throw new Error(`unknown time zone ${JSON.stringify(timeZone)}: expected an IANA name such as Europe/Berlin`);
  let cron: Cron;
  try {
    cron = new Cron(pattern, { paused: true, timezone: timeZone ?? 'Etc/UTC', domAndDow: false });
  } catch (e) {
    throw new Error(`invalid schedule ${JSON.stringify(text)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { next: (after) => cron.nextRun(new Date(after))?.getTime() };
}
