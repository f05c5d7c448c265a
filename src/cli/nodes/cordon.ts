/** Mark a node (un)schedulable, as kubectl cordon/uncordon: the scheduler then leaves it out. */
import type { HttpClient } from '../../client/http-client.js';
import { updateNode } from './node-args.js';

/** Set spec.unschedulable; prints kubectl's line and resolves whether anything changed. */
export async function setUnschedulable(client: HttpClient, name: string, unschedulable: boolean, print: (line: string) => void): Promise<boolean> {
  const { changed } = await updateNode(client, name, (node) => {
    if ((node.spec?.unschedulable ?? false) === unschedulable) return false;
    const spec = { ...node.spec };
    if (unschedulable) spec.unschedulable = true; else delete spec.unschedulable;
    node.spec = spec;
    return true;
  });
  const word = unschedulable ? 'cordoned' : 'uncordoned';
  print(`node/${name} ${changed ? word : `already ${word}`}\n`);
  return changed;
}
