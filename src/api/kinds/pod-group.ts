import type { KindInfo } from './kind.js';
import { podGroupModule } from './modules/lantern.js';
import { PodGroupSchema, type PodGroup } from '../schema/pod-group.js';
import { withRules } from './with-rules.js';

/** The PodGroup kind (lantern.dev/v1, namespaced): a gang scheduled all or nothing. */
export const podGroupKind: KindInfo<PodGroup> = withRules(podGroupModule, {
  schema: PodGroupSchema,
  applyDefaults(pg) {
    pg.status ??= { phase: 'Pending', scheduled: 0 };
  },
});
