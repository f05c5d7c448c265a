/**
 * The server's snapshot control socket: a unix socket, mode 0600 in the 0700 data dir, so only root
 * (who could read the store file anyway) may ask for a snapshot. One JSON line in, one out:
 *   {"op":"save","name":"N","dir":"/abs"} -> {"ok":true,"snapshot":{...}} | {"ok":false,"error":"..."}
 */
import net from 'node:net';
import { chmod, rm } from 'node:fs/promises';
import path from 'node:path';
import { saveSnapshot, type Snapshottable, type SnapshotInfo } from '../store/snapshot/snapshots.js';

/** The socket's path in a data dir. */
export const snapshotSocketPath = (dataDir: string): string => path.join(dataDir, 'snapshot.sock');

/** What the socket answers. */
export type SnapshotReply = { ok: true; snapshot: SnapshotInfo } | { ok: false; error: string };

/** Listens on file; each connection may ask for one snapshot into dir. */
export async function serveSnapshotSocket(file: string, store: Snapshottable, dir: string): Promise<{ close(): Promise<void> }> {
  await rm(file, { force: true }); // a socket left by a killed server
  const server = net.createServer((conn) => {
    let buf = '';
    conn.setEncoding('utf8');
    conn.on('error', () => undefined);
    conn.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > 4096) { conn.destroy(); return; }
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      void answer(buf.slice(0, nl), store, dir).then((reply) => conn.end(`${JSON.stringify(reply)}\n`));
    });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(file, resolve); });
  await chmod(file, 0o600);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function answer(line: string, store: Snapshottable, dir: string): Promise<SnapshotReply> {
  try {
    const req: unknown = JSON.parse(line);
    if (typeof req !== 'object' || req === null || (req as { op?: unknown }).op !== 'save') {
      return { ok: false, error: 'request: expected {"op":"save","name":"..."}' };
    }
    const { name, dir: to } = req as { name?: unknown; dir?: unknown };
    if (name !== undefined && typeof name !== 'string') return { ok: false, error: 'name: expected a string' };
    if (to !== undefined && (typeof to !== 'string' || !path.isAbsolute(to))) return { ok: false, error: 'dir: expected an absolute path' };
    return { ok: true, snapshot: await saveSnapshot(store, to ?? dir, name ?? 'on-demand') };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Asks the server listening on file for a snapshot; undefined when no server listens there. */
export function requestSnapshot(file: string, name: string | undefined, dir: string | undefined): Promise<SnapshotReply | undefined> {
  return new Promise((resolve, reject) => {
    const conn = net.connect(file);
    let buf = '';
    conn.setEncoding('utf8');
    conn.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve(undefined); else reject(err);
    });
    conn.on('connect', () => conn.write(`${JSON.stringify({ op: 'save', ...(name !== undefined ? { name } : {}), ...(dir !== undefined ? { dir } : {}) })}\n`));
    conn.on('data', (c: string) => { buf += c; });
    conn.on('end', () => {
      try { resolve(JSON.parse(buf) as SnapshotReply); } catch { reject(new Error(`the server's snapshot socket answered ${JSON.stringify(buf.slice(0, 200))}`)); }
    });
  });
}

/** Whether a server listens on the socket (a restore must not replace a live server's file). */
export function isServing(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const conn = net.connect(file);
    conn.on('connect', () => { conn.destroy(); resolve(true); });
    conn.on('error', () => resolve(false));
  });
}
