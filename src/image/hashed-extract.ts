import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';

/** What one pass over a layer's uncompressed tar found. */
export interface HashedExtract {
  /** sha256 and length of every byte the source produced (the diff ID when it read to the end). */
  digest: string;
  size: number;
  /** The source failed (a corrupt gzip stream, an unreadable blob); digest and size then cover a prefix. */
  readError?: Error;
  /** tar exited non-zero, or could not be started. */
  tarError?: Error;
}

/**
 * Feeds `source` (an uncompressed tar stream) to `tar ARGS -f -` while hashing it, so a layer is
 * decompressed once for both its diff ID and its files. The source is read to its end even when tar
 * stops early (it may not read the padding after the end-of-archive blocks, or may fail on a member):
 * the caller decides from the complete digest whether tar's failure or the content is to blame.
 */
export async function extractHashing(source: Readable, args: string[]): Promise<HashedExtract> {
  const child = spawn('tar', [...args, '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000); });
  const exited = new Promise<Error | undefined>((resolve) => {
    child.on('error', (e) => resolve(new Error(`tar: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(undefined);
      const why = signal ? `killed by ${signal}` : `exit code ${code}`;
      const text = stderr.trim().split('\n').slice(-5).join('\n');
      resolve(new Error(`tar ${args.join(' ')} failed (${why})${text ? `: ${text}` : ''}`));
    });
  });
  const stdin = child.stdin;
  let open = true;
  // EPIPE once tar has stopped reading: not a failure by itself, tar's exit status tells.
  stdin.on('error', () => { open = false; });
  stdin.on('close', () => { open = false; });
  const hash = createHash('sha256');
  let size = 0;
  let readError: Error | undefined;
  try {
    for await (const chunk of source) {
      const buf = chunk as Buffer;
      hash.update(buf);
      size += buf.length;
      if (open && !stdin.write(buf)) await writable(stdin);
    }
  } catch (e) {
    readError = e instanceof Error ? e : new Error(String(e));
    source.destroy();
    // A truncated stream would otherwise look like a complete, if short, archive to tar.
    child.kill('SIGKILL');
  }
  if (open) stdin.end();
  const tarError = await exited;
  return { digest: `sha256:${hash.digest('hex')}`, size, readError, tarError };
}

/** Resolves once a full pipe drains, or closes (tar exited). */
function writable(s: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      s.off('drain', done);
      s.off('close', done);
      s.off('error', done);
      resolve();
    };
    s.on('drain', done);
    s.on('close', done);
    s.on('error', done);
  });
}
