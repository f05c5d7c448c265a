/** ANSI colour, only when stdout is a terminal and NO_COLOR is unset (https://no-color.org). */

/** Should output to stdout be coloured? */
export function colorEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

const codes = { red: 31, green: 32, yellow: 33, bold: 1, dim: 2 } as const;

/** Wrap text in a colour when enabled. */
export function paint(on: boolean, color: keyof typeof codes, text: string): string {
  return on ? `\x1b[${codes[color]}m${text}\x1b[0m` : text;
}

/** The colour a status word deserves: green for healthy, red for failed, yellow for in-between. */
export function statusColor(status: string): keyof typeof codes | undefined {
  const s = status.trim();
  if (/^(Running|Up|Ready|Completed|Succeeded)\b/.test(s)) return 'green';
  if (/^(Exited \(0\)|Created|Pending|ContainerCreating|Terminating|Removal|Restarting|NotReady|SchedulingDisabled)/.test(s)) return 'yellow';
  if (/(Err|Error|BackOff|Failed|OOMKilled|Exited|Unknown|NotReady|Invalid)/.test(s)) return 'red';
  return undefined;
}
