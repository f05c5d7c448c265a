import type { KindInfo } from './kind.js';
import { PodGroupSchema, type PodGroup } from '../schema/pod-group.js';
import { SchemaValidator } from '../validate.js';
import { checkMeta } from './meta-rules.js';

const validator = new SchemaValidator(PodGroupSchema);

/** The PodGroup kind (lantern.dev/v1, namespaced): a gang scheduled all or nothing. */
export const podGroupKind: KindInfo<PodGroup> = {
  kind: 'PodGroup',
  apiVersion: 'lantern.dev/v1',
  resource: 'podgroups',
  namespaced: true,
  shortNames: ['pg', 'podgroup'],
  hasStatus: true,
  validate(obj) {
    const causes = validator.causes(obj);
    if (causes.length > 0) return causes;
    return checkMeta((obj as PodGroup).metadata, true);
  },
  applyDefaults(pg) {
    pg.status ??= { phase: 'Pending', scheduled: 0 };
  },
  selectableFields(pg) {
    return { 'metadata.name': pg.metadata.name, 'metadata.namespace': pg.metadata.namespace ?? '' };
  },
};
