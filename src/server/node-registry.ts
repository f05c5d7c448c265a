import type { NodeServices } from '../api/node-services.js';
import { ApiError } from '../api/errors.js';

/** The agents the server can reach for logs, exec, stats and images, by node name. */
export class NodeRegistry {
  private readonly nodes = new Map<string, NodeServices>();

  register(node: string, services: NodeServices): () => void {
    this.nodes.set(node, services);
    return () => { if (this.nodes.get(node) === services) this.nodes.delete(node); };
  }

  names(): string[] { return [...this.nodes.keys()].sort(); }

  /** The services of a node; a clear 503 when its agent is not connected. */
  get(node: string): NodeServices {
    const s = this.nodes.get(node);
    if (!s) throw new ApiError('Unavailable', `node "${node}" is not connected to this server (its agent is down or unreachable)`);
    return s;
  }
}
