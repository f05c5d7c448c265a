/** "statefulset/NAME", "sts NAME", "daemonset/NAME", "ds NAME": the StatefulSet/DaemonSet arguments of lcctl rollout. */
import { resolveKind } from '../../api/kinds/names.js';
import { UsageError } from '../errors.js';
import type { WorkloadResource } from './rollout.js';

/** The StatefulSet or DaemonSet the arguments name; undefined when they name another kind (or none). */
export function workloadTarget(args: readonly string[], verb: string): { resource: WorkloadResource; name: string } | undefined {
  const [first, second] = args;
  if (first === undefined) return undefined;
  const slash = first.indexOf('/');
  const kind = resolveKind(slash >= 0 ? first.slice(0, slash) : first);
  if (kind?.resource !== 'statefulsets' && kind?.resource !== 'daemonsets') return undefined;
  const name = slash >= 0 ? first.slice(slash + 1) : second;
  if (!name) throw new UsageError(`"lcctl ${verb}" requires the ${kind.singular}'s name: ${kind.singular}/NAME`);
  return { resource: kind.resource, name };
}
