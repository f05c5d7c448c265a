/** The agent tells the server where its local-path volumes live (the Node annotation the provisioner reads). */
import type { Node } from '../../api/node.js';
import { NODE_STORAGE_DIR_ANNOTATION } from '../../api/storage.js';
import type { ApiClient } from '../../client/types.js';
import { retryOnConflict } from '../../client/kit/index.js';

/** Set storage.lantern.dev/local-path-root = dir on the node's own Node (DATA_DIR/storage). */
export async function publishLocalPathRoot(api: ApiClient, nodeName: string, dir: string): Promise<void> {
  await retryOnConflict(async () => {
    const node = await api.get<Node>('nodes', nodeName, undefined);
    if (node.metadata.annotations?.[NODE_STORAGE_DIR_ANNOTATION] === dir) return;
    await api.update<Node>('nodes', { ...node, metadata: { ...node.metadata, annotations: { ...node.metadata.annotations, [NODE_STORAGE_DIR_ANNOTATION]: dir } } });
  });
}
