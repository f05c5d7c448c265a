/**
 * Images that passed this node's image policy (agent/pods/hooks/image-policy.ts), kept on disk so a
 * node cut off from its servers (the policies cannot be read) still restarts and, after a reboot,
 * brings back the containers whose exact image (repository@digest) was admitted before. An image
 * never admitted here still fails closed. Passes are forgotten when the policies change (a new set
 * may refuse what the old one allowed): the hook clears the file whenever it reads a new policy list.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from './atomic-file.js';

/** The set of admitted images, one JSON file under the node's offline record. */
export class ImagePasses {
  private loaded: Promise<Set<string>> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  private get file(): string { return path.join(this.dir, 'image-passes.json'); }

  private set(): Promise<Set<string>> {
    this.loaded ??= readFile(this.file, 'utf8')
      .then((t) => { const v: unknown = JSON.parse(t); return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []); })
      .catch(() => new Set<string>());
    return this.loaded;
  }

  /** Whether repository@digest was admitted under the last policies this node read. */
  async passed(key: string): Promise<boolean> { return (await this.set()).has(key); }

  /** Remember an admitted image. */
  async add(key: string): Promise<void> {
    const s = await this.set();
    if (s.has(key)) return;
    s.add(key);
    await this.save(s);
  }

  /** Forget every pass (the policies changed). */
  async clear(): Promise<void> {
    const s = await this.set();
    if (s.size === 0) return;
    s.clear();
    await this.save(s);
  }

  private save(s: Set<string>): Promise<void> {
    const text = JSON.stringify([...s]);
    this.writing = this.writing.catch(() => undefined).then(() => writeAtomic(this.file, text));
    return this.writing;
  }
}
