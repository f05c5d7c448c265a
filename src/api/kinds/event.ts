import type { KindInfo } from './kind.js';
import { eventModule } from './modules/core.js';
import { EventSchema, type Event } from '../schema/event.js';
import type { FieldCause } from '../errors.js';
import { withRules } from './with-rules.js';

/** The Event kind (core v1, namespaced). */
export const eventKind: KindInfo<Event> = withRules(eventModule, {
  schema: EventSchema,
  check(ev) {
    const out: FieldCause[] = [];
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
});
