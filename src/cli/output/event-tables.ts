/** kubectl's tables for events and priority classes, and the Events section of describe. */
import type { Event } from '../../api/schema/event.js';
import type { PriorityClass } from '../../api/schema/priority-class.js';
import type { Doc } from '../describe/doc.js';
import { kubeAge } from './durations.js';
import type { Table, TableOptions } from './kube-tables.js';

const lastSeen = (e: Event): string | undefined => e.lastTimestamp ?? e.firstTimestamp ?? e.metadata.creationTimestamp;

/** kubectl's event age: "2m", or "2m (x5 over 10m)" when it happened more than once. */
export function eventAge(e: Event, now: number): string {
  const last = kubeAge(lastSeen(e), now);
  const count = e.count ?? 1;
  return count > 1 ? `${last} (x${count} over ${kubeAge(e.firstTimestamp ?? lastSeen(e), now)})` : last;
}

/** Oldest first by last occurrence, as kubectl lists them. */
export function sortEvents(events: Event[]): Event[] {
  const t = (e: Event): number => Date.parse(lastSeen(e) ?? '') || 0;
  return [...events].sort((a, b) => t(a) - t(b) || a.metadata.name.localeCompare(b.metadata.name));
}

/** LAST SEEN TYPE REASON OBJECT MESSAGE (wide adds SOURCE, FIRST SEEN, COUNT, NAME). */
export function eventTable(events: Event[], o: TableOptions, now: number): Table {
  const header = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  if (o.wide) header.push('SOURCE', 'FIRST SEEN', 'COUNT', 'NAME');
  if (o.namespaces) header.unshift('NAMESPACE');
  const rows = sortEvents(events).map((e) => {
    const obj = `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`;
    const r = [eventAge(e, now), e.type ?? 'Normal', e.reason ?? '', obj, (e.message ?? '').replace(/\n/g, ' ')];
    if (o.wide) r.push(e.source?.component ?? '', kubeAge(e.firstTimestamp, now), String(e.count ?? 1), e.metadata.name);
    if (o.namespaces) r.unshift(e.metadata.namespace ?? 'default');
    return r;
  });
  return { header, rows };
}

/** NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY. */
export function priorityClassTable(classes: PriorityClass[], _o: TableOptions, now: number): Table {
  return {
    header: ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
    rows: classes.map((c) => [c.metadata.name, String(c.value), String(c.globalDefault ?? false), kubeAge(c.metadata.creationTimestamp, now), c.preemptionPolicy ?? 'PreemptLowerPriority']),
  };
}

/** describe's Events section: Type, Reason, Age, From, Message; "<none>" when there are none. */
export function eventsSection(doc: Doc, events: Event[] | undefined, now: number): void {
  if (!events || events.length === 0) { doc.kv(0, 'Events', '<none>'); return; }
  doc.kv(0, 'Events');
  doc.row(1, 'Type', 'Reason', 'Age', 'From', 'Message');
  doc.row(1, '----', '------', '----', '----', '-------');
  for (const e of sortEvents(events)) doc.row(1, e.type ?? 'Normal', e.reason ?? '', eventAge(e, now), e.source?.component ?? '', e.message ?? '');
}
