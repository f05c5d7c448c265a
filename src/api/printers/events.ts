/** Events as kubectl shows them: the `get events` table and the Events section of describe. */
import type { Event } from '../schema/event.js';
import type { ApiObject } from '../meta.js';
import type { Doc } from './doc.js';
import type { DescribeContext, RelatedQuery } from './describe.js';
import { relatedList } from './describe.js';
import { kubeAge } from './age.js';
import { column, type TableDefinition } from './table.js';

const lastSeen = (e: Event): string | undefined => e.lastTimestamp ?? e.firstTimestamp ?? e.metadata.creationTimestamp;

/** kubectl's event age: "2m", or "2m (x5 over 10m)" when it happened more than once. */
export function eventAge(e: Event, now: number): string {
  const last = kubeAge(lastSeen(e), now);
  const count = e.count ?? 1;
  return count > 1 ? `${last} (x${count} over ${kubeAge(e.firstTimestamp ?? lastSeen(e), now)})` : last;
}

/** Oldest first by last occurrence, then by name, as kubectl lists them. */
export function compareEvents(a: Event, b: Event): number {
  const t = (e: Event): number => Date.parse(lastSeen(e) ?? '') || 0;
  return t(a) - t(b) || a.metadata.name.localeCompare(b.metadata.name);
}

/** LAST SEEN TYPE REASON OBJECT MESSAGE (wide adds SOURCE, FIRST SEEN, COUNT, NAME); never LABELS. */
export const eventTable: TableDefinition<Event> = {
  columns: [
    column<Event>('Last Seen', (e, now) => eventAge(e, now)),
    column<Event>('Type', (e) => e.type ?? 'Normal'),
    column<Event>('Reason', (e) => e.reason ?? ''),
    column<Event>('Object', (e) => `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`),
    column<Event>('Message', (e) => (e.message ?? '').replace(/\n/g, ' ')),
    column<Event>('Source', (e) => e.source?.component ?? '', 1),
    column<Event>('First Seen', (e, now) => kubeAge(e.firstTimestamp, now), 1),
    column<Event>('Count', (e) => String(e.count ?? 1), 1, 'integer'),
    column<Event>('Name', (e) => e.metadata.name, 1),
  ],
  order: compareEvents,
  labelsColumn: false,
};

/** The events about one object of a kind, by kind and name (eventsOf then checks the uid). */
export function eventsAbout(kind: string, obj: ApiObject, optional: boolean): RelatedQuery {
  return { resource: 'events', namespace: obj.metadata.namespace ?? 'default', fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${obj.metadata.name}`, optional };
}

/** The related events that are about this object and not a deleted one of the same name (a uid to compare). */
export function eventsOf(ctx: DescribeContext, obj: ApiObject): Event[] {
  return relatedList<Event>(ctx, 'events').filter((e) => !e.involvedObject.uid || e.involvedObject.uid === obj.metadata.uid);
}

/** describe's Events section: Type, Reason, Age, From, Message; "<none>" when there are none. */
export function eventsSection(doc: Doc, events: readonly Event[] | undefined, now: number): void {
  if (!events || events.length === 0) { doc.kv(0, 'Events', '<none>'); return; }
  doc.kv(0, 'Events');
  doc.row(1, 'Type', 'Reason', 'Age', 'From', 'Message');
  doc.row(1, '----', '------', '----', '----', '-------');
  for (const e of [...events].sort(compareEvents)) doc.row(1, e.type ?? 'Normal', e.reason ?? '', eventAge(e, now), e.source?.component ?? '', e.message ?? '');
}
