/** The Workflow controller's log reader: a finished pod's last lines, from its node, as the log endpoint serves them. */
import type { ApiClient } from '../client/types.js';
import type { Pod } from '../api/pod.js';
import { ApiError } from '../api/errors.js';
import type { NodeRegistry } from '../server/node-registry.js';
import type { LogReader } from '../controllers/workflow/index.js';

/** Read logs through the node registry (the same path as GET .../pods/NAME/log). */
export function podLogReader(api: ApiClient, nodes: NodeRegistry): LogReader {
  return async (namespace, pod, container, tailLines) => {
    const p = await api.get<Pod>('pods', pod, namespace);
    if (!p.spec.nodeName) throw new ApiError('BadRequest', `pod ${namespace}/${pod} never ran on a node; it has no log`);
    const abort = new AbortController();
    const stream = await nodes.get(p.spec.nodeName).podLogs(namespace, pod, { container, tailLines }, abort.signal);
    const chunks: Buffer[] = [];
    try {
      for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
    } finally { abort.abort(); }
    return Buffer.concat(chunks).toString('utf8');
  };
}
