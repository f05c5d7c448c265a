import type { KindInfo } from './kind.js';
import { nodeModule } from './modules/core.js';
import type { Node } from '../node.js';
import { NodeSchema } from '../schema/node.js';
import type { FieldCause } from '../errors.js';
import { withRules } from './with-rules.js';
import { checkNodeStatus } from './node-status-rules.js';

/** The Node kind (cluster-scoped). */
export const nodeKind: KindInfo<Node> = withRules(nodeModule, {
  schema: NodeSchema,
  check(node) {
    const out: FieldCause[] = [];
    checkNodeStatus(node.status, out);
    return out;
  },
  applyDefaults(node) {
    node.spec ??= {};
  },
});
