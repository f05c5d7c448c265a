/** The node a node verb addresses (`NODE`, `nodes NODE` or `node/NODE`) and conflict-safe node writes. */
import type { Node } from '../../api/node.js';
import type { HttpClient } from '../../client/http-client.js';
import { UsageError, isCode } from '../errors.js';
import { resolveKind, unknownKindMessage } from '../../api/kinds/names.js';

/** Split `[nodes] NODE ARGS...` or `node/NODE ARGS...` (withKind: the kind word is required, as kubectl taint/label). */
export function nodeTarget(args: readonly string[], verb: string, withKind: boolean): { name: string; rest: string[] } {
  const [first, ...rest] = args;
  if (first === undefined) throw new UsageError(withKind ? `you must specify the resource (nodes) and a node name: lcctl ${verb} nodes NODE ...` : `"lcctl ${verb}" requires a NODE argument`);
  const slash = first.indexOf('/');
  if (slash > 0) {
    const kind = first.slice(0, slash);
    if (resolveKind(kind)?.resource !== 'nodes') throw new UsageError(resolveKind(kind) ? `lcctl ${verb} works on nodes only, not ${kind}` : unknownKindMessage(kind));
    return { name: first.slice(slash + 1), rest };
  }
  if (!withKind) return { name: first, rest };
  const kind = resolveKind(first);
  if (kind?.resource !== 'nodes') throw new UsageError(kind ? `lcctl ${verb} works on nodes only, not ${first}` : unknownKindMessage(first));
  const [name, ...more] = rest;
  if (name === undefined) throw new UsageError(`you must specify a node name: lcctl ${verb} nodes NODE ...`);
  return { name, rest: more };
}

/**
 * Read-modify-write a node. The agent renews its heartbeat all the time, so a stale resourceVersion
 * is normal: read again and retry. change returns false when nothing needs writing.
 */
export async function updateNode(client: HttpClient, name: string, change: (n: Node) => boolean): Promise<{ node: Node; changed: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const node = await client.get<Node>('nodes', name);
    if (!change(node)) return { node, changed: false };
    try {
      return { node: await client.update<Node>('nodes', node), changed: true };
    } catch (e) {
      if (!isCode(e, 'Conflict') || attempt >= 9) throw e;
    }
  }
}
