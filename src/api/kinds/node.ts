import type { KindInfo } from './kind.js';
import type { Node } from '../node.js';
import { NodeSchema } from '../schema/node.js';
import { SchemaValidator } from '../validate.js';
import { checkMeta } from './meta-rules.js';
import { checkNodeStatus } from './node-status-rules.js';

const validator = new SchemaValidator(NodeSchema);

/** The Node kind (cluster-scoped). */
export const nodeKind: KindInfo<Node> = {
  kind: 'Node',
  apiVersion: 'v1',
  resource: 'nodes',
  namespaced: false,
  shortNames: ['no', 'node'],
  hasStatus: true,
  validate(obj) {
    const causes = validator.causes(obj);
    if (causes.length > 0) return causes;
    const out = checkMeta((obj as Node).metadata, false);
    checkNodeStatus((obj as Node).status, out);
    return out;
  },
  applyDefaults(node) {
    node.spec ??= {};
  },
  selectableFields(node) {
    return { 'metadata.name': node.metadata.name, 'spec.unschedulable': String(node.spec?.unschedulable ?? false) };
  },
};
