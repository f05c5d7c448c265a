/**
 * One informer per resource (and namespace and selectors) for every component of a process
 * (client-go's SharedInformerFactory), so the API server's event loop decodes each change once and
 * keeps one watch per resource, however many controllers follow it.
 */
import type { ApiObject } from '../../api/meta.js';
import type { Clock } from '../../api/clock.js';
import type { ApiClient } from '../types.js';
import { Informer, type InformerSource } from './informer.js';

/** What the informers of a factory share. */
export interface InformerFactoryOptions {
  api: ApiClient;
  clock?: Clock;
  log?: (msg: string) => void;
}

/** Informers handed out once per source; start() and stop() act on all of them. */
export class InformerFactory {
  private readonly informers = new Map<string, Informer<ApiObject>>();
  private stopped = false;

  constructor(private readonly opts: InformerFactoryOptions) {}

  /** The shared informer of a resource ("pods") or a narrower source; made on first use. */
  informer<T extends ApiObject>(source: string | InformerSource): Informer<T> {
    const s: InformerSource = typeof source === 'string' ? { resource: source } : source;
    const id = JSON.stringify([s.resource, s.namespace ?? '', s.labelSelector ?? '', s.fieldSelector ?? '']);
    let inf = this.informers.get(id);
    if (!inf) {
      const log = this.opts.log;
      inf = new Informer<ApiObject>({ ...s, api: this.opts.api, clock: this.opts.clock, ...(log ? { log: (m: string) => log(`${s.resource}: ${m}`) } : {}) });
      this.informers.set(id, inf);
      if (this.stopped) inf.stop();
    }
    return inf as unknown as Informer<T>;
  }

  /** Start every informer made so far; resolves once all have listed. */
  async start(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
  }

  stop(): void {
    this.stopped = true;
    for (const i of this.informers.values()) i.stop();
  }
}
