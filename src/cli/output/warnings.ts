/** The server's warnings on stderr as kubectl prints them: `Warning: text`, each text once per command. */
import { colorEnabled, paint } from './color.js';

/** A printer for ClientConfig.onWarning; yellow only when stderr is a terminal. */
export function warningPrinter(stream: { write(s: string): unknown; isTTY?: boolean } = process.stderr, env: NodeJS.ProcessEnv = process.env): (text: string) => void {
  const printed = new Set<string>();
  const on = colorEnabled(stream, env);
  return (text) => {
    // kubectl deduplicates: a watch or a retry would otherwise repeat the same admission warning.
    if (printed.has(text)) return;
    printed.add(text);
    stream.write(`${paint(on, 'yellow', 'Warning:')} ${text}\n`);
  };
}
