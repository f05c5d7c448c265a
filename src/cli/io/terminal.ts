/** Local terminal handling for -t: raw mode, window size, and restoring both on exit. */
import type { Session } from './session.js';

/** The local terminal size, when stdout is a terminal. */
export function terminalSize(): { cols: number; rows: number } | undefined {
  const out = process.stdout;
  return out.isTTY && out.columns && out.rows ? { cols: out.columns, rows: out.rows } : undefined;
}

/** Put stdin in raw mode and forward SIGWINCH as resize frames; returns the undo. */
export function attachTerminal(session: Session, raw: boolean): () => void {
  const stdin = process.stdin;
  const wasRaw = stdin.isTTY ? stdin.isRaw : false;
  if (raw && stdin.isTTY) stdin.setRawMode(true);
  const onResize = (): void => { const s = terminalSize(); if (s) session.resize(s); };
  process.on('SIGWINCH', onResize);
  const restore = (): void => {
    process.removeListener('SIGWINCH', onResize);
    if (raw && stdin.isTTY) stdin.setRawMode(wasRaw);
  };
  process.once('exit', restore);
  return restore;
}
