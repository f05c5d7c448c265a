/** Edge autonomy (OpenYurt's node autonomy): a node whose pods stay bound to it while it is cut off. */
import type { Node } from './node.js';

/** The annotation an admin sets ("true") on a Node whose pods must not be evicted when it turns NotReady/Unknown. */
export const AutonomyAnnotation = 'lantern.dev/autonomy';

/** Whether the node is marked autonomous (only the exact value "true" counts, as OpenYurt's). */
export const isAutonomous = (node: Node): boolean => node.metadata.annotations?.[AutonomyAnnotation] === 'true';
