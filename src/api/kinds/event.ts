import type { KindInfo } from './kind.js';
import { EventSchema, type Event, type ObjectReference } from '../schema/event.js';
import { SchemaValidator } from '../validate.js';
import { checkMeta } from './meta-rules.js';

const validator = new SchemaValidator(EventSchema);

/** The Event kind (core v1, namespaced). */
export const eventKind: KindInfo<Event> = {
  kind: 'Event',
  apiVersion: 'v1',
  resource: 'events',
  namespaced: true,
  shortNames: ['ev', 'event'],
  hasStatus: false,
  validate(obj) {
    const causes = validator.causes(obj);
    if (causes.length > 0) return causes;
    const ev = obj as Event;
    const out = checkMeta(ev.metadata, true);
    if (!ev.involvedObject.name) out.push({ field: 'involvedObject.name', message: 'Required value: the object the event is about' });
    if (ev.involvedObject.namespace !== undefined && ev.metadata.namespace !== undefined && ev.involvedObject.namespace !== ev.metadata.namespace) {
      out.push({ field: 'involvedObject.namespace', message: `does not match event namespace "${ev.metadata.namespace}"` });
    }
    return out;
  },
  applyDefaults(ev) {
    ev.type ??= 'Normal';
    ev.count ??= 1;
  },
  selectableFields(ev) {
    const o: ObjectReference = (ev as Partial<Event>).involvedObject ?? {}; // the API's sample object has none
    return {
      'metadata.name': ev.metadata.name,
      'involvedObject.kind': o.kind ?? '',
      'involvedObject.name': o.name ?? '',
      'involvedObject.namespace': o.namespace ?? '',
      'involvedObject.uid': o.uid ?? '',
      reason: ev.reason ?? '',
      type: ev.type ?? '',
    };
  },
};
