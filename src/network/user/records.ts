/** What was attached for a pod, on disk so DEL replays exactly it after an agent restart. */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CniConfList, CniResult } from '../cni-types.js';

/** One network attached to one pod. */
export interface AttachmentRecord {
  network: string;
  driver: string;
  ifName: string;
  list: CniConfList;
  result?: CniResult;
  /** The bridge a bridge network made on the host. */
  bridge?: string;
  /** The 802.1Q link made for macvlan/ipvlan --vlan. */
  vlanLink?: string;
  /** The VF an sriov attachment holds. */
  vf?: { pf: string; index: number; netdev: string };
}

/** A pod's attachments. */
export interface PodAttachments {
  podId: string;
  netnsPath: string;
  attachments: AttachmentRecord[];
}

/** The records of one node, one JSON file per pod key. */
export class AttachmentStore {
  constructor(private readonly dir: string) {}

  private file(key: string): string { return path.join(this.dir, `${key}.json`); }

  /** The pod's record, if any. */
  async read(key: string): Promise<PodAttachments | undefined> {
    try { return JSON.parse(await readFile(this.file(key), 'utf8')) as PodAttachments; } catch { return undefined; }
  }

  /** Write atomically; an empty list removes the file. */
  async write(key: string, rec: PodAttachments): Promise<void> {
    if (rec.attachments.length === 0) { await rm(this.file(key), { force: true }); return; }
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file(key)}.tmp`;
    await writeFile(tmp, JSON.stringify(rec));
    await rename(tmp, this.file(key));
  }

  /** Every record (the VF holders and the bridges in use after a restart). */
  async all(): Promise<PodAttachments[]> {
    let names: string[];
    try { names = await readdir(this.dir); } catch { return []; }
    const out: PodAttachments[] = [];
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const r = await this.read(n.slice(0, -5));
      if (r) out.push(r);
    }
    return out;
  }
}
