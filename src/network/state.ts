import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniConfList, CniResult } from './cni-types.js';
import type { PortMapping } from './types.js';

/** One attachment: the exact config used for ADD and its result, so DEL/CHECK can replay them. */
export interface Attachment {
  list: CniConfList;
  ifName: string;
  result?: CniResult;
}

/** What Lantern remembers about one pod's network, in <stateDir>/pods/<key>.json. */
export interface PodRecord {
  version: 1;
  podId: string;
  /** podKey(podId): netns suffix and CNI_CONTAINERID. */
  key: string;
  netns: string;
  netnsPath: string;
  mode: 'bridge' | 'none';
  ports: PortMapping[];
  /** 'adding' is written before anything is created, so a crash mid-setUp still leaves a trail to clean. */
  phase: 'adding' | 'ready';
  loopback: Attachment;
  bridge?: Attachment;
}

function isRecord(v: unknown): v is PodRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return r.version === 1 && typeof r.podId === 'string' && typeof r.key === 'string' && typeof r.netns === 'string'
    && typeof r.netnsPath === 'string' && (r.mode === 'bridge' || r.mode === 'none') && Array.isArray(r.ports)
    && typeof r.loopback === 'object' && r.loopback !== null;
}

/** Pod records on disk; writes go through a temp file and rename so a crash never leaves half a record. */
export class PodStore {
  private readonly dir: string;
  constructor(stateDir: string) {
    this.dir = join(stateDir, 'pods');
  }

  /** The record for a key, or undefined when there is none (or it is unreadable). */
  async read(key: string): Promise<PodRecord | undefined> {
    try {
      const v: unknown = JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8'));
      return isRecord(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes (replaces) a record atomically. */
  async write(rec: PodRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${rec.key}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(rec, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  }

  /** Removes a record; no error when it is gone. */
  async remove(key: string): Promise<void> {
    await rm(join(this.dir, `${key}.json`), { force: true });
  }

  /** Every readable record. */
  async list(): Promise<PodRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const recs = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.read(n.slice(0, -5))));
    return recs.filter((r): r is PodRecord => r !== undefined);
  }
}
