/** "deployment/NAME", "deploy NAME" or "NAME" arguments of the deployment verbs. */
import { UsageError } from '../errors.js';
import { resolveKind } from '../../api/kinds/names.js';

/** The Deployment named by the arguments, with the arguments left over. */
export function deploymentTarget(args: string[], verb: string): { name: string; rest: string[] } {
  const [first, ...rest] = args;
  if (first === undefined) throw new UsageError(`"lcctl ${verb}" requires a deployment: deployment/NAME or deployment NAME`);
  const slash = first.indexOf('/');
  const kindName = slash >= 0 ? first.slice(0, slash) : first;
  const kind = resolveKind(kindName);
  if (kind !== undefined && kind.resource !== 'deployments') throw new UsageError(`lcctl ${verb} works on deployments, not ${kind.resource}`);
  if (slash >= 0) {
    if (!kind) throw new UsageError(`unknown resource type "${kindName}": use deployment/NAME`);
    return { name: first.slice(slash + 1), rest };
  }
  if (kind) {
    const [name, ...more] = rest;
    if (name === undefined) throw new UsageError(`"lcctl ${verb}" requires the deployment's name: deployment/NAME`);
    return { name, rest: more };
  }
  return { name: first, rest };
}
