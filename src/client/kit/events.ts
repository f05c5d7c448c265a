/** Recording Kubernetes-style Events about objects, with repeats folded into one event. */
import type { ApiObject } from '../../api/meta.js';
import type { Event } from '../../api/schema/event.js';
import { isApiError } from './errors.js';
import { retryOnConflict } from './conflict.js';
import type { ApiClient } from '../types.js';
import { StatusLimits, truncateText } from '../../api/status-limits.js';

/** Normal or Warning, as kubectl shows in TYPE. */
export type EventType = 'Normal' | 'Warning';

/** FNV-1a, 32 bits, as hex: a stable short suffix for event names. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * Writes Events through the API. Like Kubernetes' event correlator, an event with the same object,
 * type, reason and message as an earlier one bumps that one's count and lastTimestamp instead of
 * adding another: the name is derived from those fields, so a retrying component finds it again.
 * Failures are logged, never thrown: an event must not fail the work it reports.
 */
export class EventRecorder {
  constructor(private readonly api: ApiClient, private readonly component: string, private readonly now: () => Date = () => new Date()) {}

  /** Record one occurrence; resolves with the stored event (undefined when the API refused it). */
  async record(obj: ApiObject, type: EventType, reason: string, message: string): Promise<Event | undefined> {
    message = truncateText(message, StatusLimits.message); // a probe's output can be long; the API bounds a node's message
    const ns = obj.metadata.namespace ?? 'default';
    // apiVersion too: `kubectl events --for pod/NAME` selects on involvedObject.apiVersion.
    const ref = { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: ns, uid: obj.metadata.uid ?? '' };
    const name = `${obj.metadata.name.slice(0, 200)}.${fnv([ref.uid, this.component, type, reason, message].join('\0'))}`;
    const at = this.now().toISOString();
    try {
      try {
        return await this.api.create<Event>('events', {
          apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: ns }, involvedObject: ref, reason, message, type,
          count: 1, firstTimestamp: at, lastTimestamp: at, source: { component: this.component },
        });
      } catch (e) {
        if (!isApiError(e, 'AlreadyExists')) throw e;
      }
      // A repeat: bump the stored one, reading again when someone else wrote it in between.
      return await retryOnConflict(async () => {
        const existing = await this.api.get<Event>('events', name, ns);
        return this.api.update<Event>('events', { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: at });
      });
    } catch (e) {
      console.error(`${this.component}: recording event ${reason} for ${ref.kind} ${ns}/${ref.name} failed:`, e instanceof Error ? e.message : e);
      return undefined;
    }
  }
}
