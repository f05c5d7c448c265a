/** The ControllerRevision kind (apps/v1): a snapshot whose data never changes once written. */
import type { KindInfo } from './kind.js';
import { controllerRevisionModule } from './modules/apps.js';
import { ControllerRevisionSchema, type ControllerRevision } from '../schema/controllerrevision.js';
import { withRules } from './with-rules.js';

/** The ControllerRevision kind (apps/v1). */
export const controllerRevisionKind: KindInfo<ControllerRevision> = withRules(controllerRevisionModule, {
  schema: ControllerRevisionSchema,
  validateUpdate: (a, b) => JSON.stringify(a.data) === JSON.stringify(b.data) ? []
    : [{ field: 'data', message: 'field is immutable: a revision is a snapshot; create a new ControllerRevision instead' }],
});
