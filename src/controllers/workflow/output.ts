/**
 * Step outputs through the pod log: the container's command is wrapped in `sh -c` so that, after the
 * command ends, it prints the first 4 KiB of the output file between two marker lines; the
 * controller reads the finished pod's last lines through the log endpoint and takes the text between
 * the last pair of markers. (The runtime has no terminationMessagePath.)
 */

/** Largest output kept, in bytes. */
export const maxOutputBytes = 4096;
/** Log lines read back: the output's lines, the markers, and some slack. */
export const outputTailLines = maxOutputBytes + 16;
const begin = '<<<lantern-workflow-output';
const end = 'lantern-workflow-output>>>';

/** The wrapped command: runs the original (command + args), then prints the file named by $LANTERN_OUTPUT_FILE; keeps the exit code. */
export function wrapForOutput(command: readonly string[], args: readonly string[] | undefined): string[] {
  const script = `"$@"; rc=$?; printf '\\n%s\\n' '${begin}'; head -c ${maxOutputBytes} "$LANTERN_OUTPUT_FILE" 2>/dev/null; printf '\\n%s\\n' '${end}'; exit $rc`;
  return ['/bin/sh', '-c', script, 'lantern-step', ...command, ...(args ?? [])];
}

/** The output between the last marker pair in a log, without the newlines the wrapper added; undefined if absent. */
export function parseOutput(log: string): string | undefined {
  const e = log.lastIndexOf(`\n${end}`);
  if (e < 0) return undefined;
  const b = log.lastIndexOf(`${begin}\n`, e);
  if (b < 0) return undefined;
  const text = log.slice(b + begin.length + 1, e);
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}
