export type { Node, NodeSpec, NodeStatus, Taint, NodeCondition } from './schema/node.js';
export { NodeSchema } from './schema/node.js';
