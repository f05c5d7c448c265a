/** Reading a user name and a hidden password from the terminal, and a password from piped stdin. */
import { CliError } from '../errors.js';

/** Reads one line from the terminal; with hidden, typed characters are not echoed. */
export function promptLine(question: string, hidden: boolean): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new CliError('Cannot perform an interactive login from a non TTY device'));
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let text = '';
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (fn: () => void): void => { stdin.setRawMode(false); stdin.pause(); stdin.off('data', onData); process.stderr.write('\n'); fn(); };
    const onData = (b: Buffer): void => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') { finish(() => resolve(text)); return; }
        if (ch === '\u0003') { finish(() => reject(new CliError('login cancelled', 130))); return; }
        if (ch === '\u007f' || ch === '\b') { if (text.length > 0) { text = text.slice(0, -1); if (!hidden) process.stderr.write('\b \b'); } continue; }
        text += ch;
        if (!hidden) process.stderr.write(ch);
      }
    };
    stdin.on('data', onData);
  });
}

/** The whole of stdin without its trailing newline (docker login --password-stdin). */
export async function readStdinSecret(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}
