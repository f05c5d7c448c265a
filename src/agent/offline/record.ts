/**
 * The agent's own record of what it needs to run its pods with no server to ask (edge autonomy, as
 * KubeEdge's and OpenYurt's node caches): the pods bound to it as its informer last saw them, and the
 * ConfigMaps and Secrets they use (Secrets sealed with the node-local key, seal.ts). One file per
 * object under DATA_DIR/offline, 0600, each written atomically; writes of one object are serialised
 * so an older copy never lands after a newer one.
 */
import { ImagePasses } from './image-passes.js';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import { writeAtomic } from './atomic-file.js';
import { Sealer } from './seal.js';

/** The kinds of config object the record keeps. */
export type ConfigResource = 'configmaps' | 'secrets';

// uids, namespaces and names are DNS-like; anything else is not written (it could name a path).
const safe = /^[a-z0-9A-Z][a-zA-Z0-9.-]{0,252}$/;

/** The pods and config objects this node keeps on disk. */
export class NodeRecord {
  private readonly chains = new Map<string, Promise<void>>();
  private sealer: Promise<Sealer> | undefined;

  /** The record under dir; its sealing key (dir/key) is read or made by ready() or the first Secret. */
  constructor(readonly dir: string, private readonly log: (m: string) => void = () => undefined) {
    this.imagePasses = new ImagePasses(dir);
  }

  /** Open (or make) the record under dir and its key. */
  static async open(dir: string, log?: (m: string) => void): Promise<NodeRecord> {
    const r = new NodeRecord(dir, log);
    await r.ready();
    return r;
  }

  /** The images this node admitted under its image policies (image-passes.ts). */
  readonly imagePasses: ImagePasses;

  /** Read or make the sealing key (the agent does it at start, so a bad key file shows at once). */
  async ready(): Promise<void> { await this.key(); }

  private key(): Promise<Sealer> {
    this.sealer ??= Sealer.open(path.join(this.dir, 'key'));
    return this.sealer;
  }

  /** Keep the pod as seen now (replacing the older copy). */
  savePod(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    if (!safe.test(uid)) return Promise.resolve();
    return this.queue(this.podFile(uid), (f) => writeAtomic(f, JSON.stringify(pod)));
  }

  /** The pod is no longer bound here (deleted, or gone from a list). */
  forgetPod(uid: string): Promise<void> {
    if (!safe.test(uid)) return Promise.resolve();
    return this.queue(this.podFile(uid), (f) => rm(f, { force: true }));
  }

  /** Every recorded pod; a file that cannot be read is logged and skipped. */
  async pods(): Promise<Pod[]> {
    const dir = path.join(this.dir, 'pods');
    const out: Pod[] = [];
    for (const f of await readdir(dir).catch(() => [] as string[])) {
      if (!f.endsWith('.json')) continue;
      try {
        const pod = JSON.parse(await readFile(path.join(dir, f), 'utf8')) as Pod;
        if (pod?.metadata?.uid === f.slice(0, -5) && Array.isArray(pod.spec?.containers)) out.push(pod);
        else this.log(`offline record: ${f} is not a pod of this node; skipped`);
      } catch (e) {
        this.log(`offline record: cannot read ${f}: ${(e as Error).message}`);
      }
    }
    return out;
  }

  /** Keep a ConfigMap or Secret as seen now; a Secret is sealed, its key bound to namespace and name. */
  saveObject(resource: ConfigResource, obj: ApiObject): Promise<void> {
    const file = this.objectFile(resource, obj.metadata.namespace ?? 'default', obj.metadata.name);
    if (!file) return Promise.resolve();
    const text = Buffer.from(JSON.stringify(obj));
    const aad = this.aad(resource, obj.metadata.namespace ?? 'default', obj.metadata.name);
    return this.queue(file, async (f) => writeAtomic(f, resource === 'secrets' ? (await this.key()).seal(text, aad) : text));
  }

  /** The object was deleted in the API. */
  forgetObject(resource: ConfigResource, namespace: string, name: string): Promise<void> {
    const file = this.objectFile(resource, namespace, name);
    return file ? this.queue(file, (f) => rm(f, { force: true })) : Promise.resolve();
  }

  /** The recorded copy, or undefined when there is none (or it cannot be read or opened). */
  async object<T extends ApiObject>(resource: ConfigResource, namespace: string, name: string): Promise<T | undefined> {
    const file = this.objectFile(resource, namespace, name);
    if (!file) return undefined;
    await this.chains.get(file);
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) return undefined;
    try {
      const plain = resource === 'secrets' ? (await this.key()).unseal(bytes, this.aad(resource, namespace, name)) : bytes;
      return JSON.parse(plain.toString('utf8')) as T;
    } catch (e) {
      this.log(`offline record: cannot open ${resource} ${namespace}/${name}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Remove recorded config objects that keep() says no pod uses any more. */
  async prune(keep: (resource: ConfigResource, namespace: string, name: string) => boolean): Promise<void> {
    for (const resource of ['configmaps', 'secrets'] as const) {
      for (const f of await readdir(path.join(this.dir, resource)).catch(() => [] as string[])) {
        const m = /^([^_]+)_(.+)\.json$/.exec(f);
        if (m && !keep(resource, m[1]!, m[2]!)) await this.forgetObject(resource, m[1]!, m[2]!);
      }
    }
  }

  /** Every write queued so far has landed (tests; a clean stop). */
  async flushed(): Promise<void> { await Promise.all(this.chains.values()); }

  private podFile(uid: string): string { return path.join(this.dir, 'pods', `${uid}.json`); }

  private objectFile(resource: ConfigResource, namespace: string, name: string): string | undefined {
    if (!safe.test(namespace) || !safe.test(name)) return undefined;
    return path.join(this.dir, resource, `${namespace}_${name}.json`);
  }

  private aad(resource: ConfigResource, namespace: string, name: string): string { return `${resource}/${namespace}/${name}`; }

  /** Run op on file after the writes already queued for it; a failure is logged (the record is best effort). */
  private queue(file: string, op: (file: string) => Promise<unknown>): Promise<void> {
    const next = (this.chains.get(file) ?? Promise.resolve()).then(() => op(file)).then(() => undefined, (e: unknown) => this.log(`offline record: writing ${path.basename(file)}: ${String(e)}`));
    this.chains.set(file, next);
    void next.then(() => { if (this.chains.get(file) === next) this.chains.delete(file); });
    return next;
  }
}
