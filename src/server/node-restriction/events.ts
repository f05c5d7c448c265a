/**
 * What a node may write as an Event: only about its own Node or the pods bound to it, with a
 * reason of Kubernetes' shape and a bounded message, and not faster than its token bucket allows.
 */
import { ApiError, invalid, type FieldCause } from '../../api/errors.js';
import type { Event, ObjectReference } from '../../api/schema/event.js';
import type { Pod } from '../../api/pod.js';
import { eventKind } from '../../api/kinds/event.js';
import { StatusLimits, reasonPattern } from '../../api/status-limits.js';
import type { ApiClient } from '../../client/types.js';
import { forbiddenFor } from './node-writes.js';

async function aboutOwn(api: Pick<ApiClient, 'get'>, node: string, ref: ObjectReference, namespace: string): Promise<string | undefined> {
  if (ref.kind === 'Node') return ref.name === node ? undefined : `a node records events only about its own Node ("${node}") or the pods bound to it`;
  if (ref.kind !== 'Pod') return `a node records events only about its own Node or the pods bound to it, not about a ${JSON.stringify(ref.kind ?? '')}`;
  let pod: Pod;
  try {
    pod = await api.get<Pod>('pods', ref.name ?? '', ref.namespace ?? namespace);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return `pod ${ref.namespace ?? namespace}/${ref.name ?? ''} does not exist`;
    throw e;
  }
  if (pod.spec.nodeName !== node) return `pod ${ref.namespace ?? namespace}/${ref.name ?? ''} is not bound to node "${node}"`;
  if (ref.uid && ref.uid !== pod.metadata.uid) return `uid ${ref.uid} is not the uid of pod ${ref.namespace ?? namespace}/${ref.name ?? ''}`;
  return undefined;
}

const sameRef = (a: ObjectReference, b: ObjectReference): boolean =>
  (['kind', 'name', 'namespace', 'uid', 'apiVersion', 'fieldPath'] as const).every((k) => (a[k] ?? '') === (b[k] ?? ''));

function shapeCauses(node: string, ev: Event): FieldCause[] {
  const out: FieldCause[] = [];
  if (ev.reason !== undefined && (ev.reason.length > StatusLimits.reason || !reasonPattern.test(ev.reason))) out.push({ field: 'reason', message: `must be a CamelCase word of at most ${StatusLimits.reason} characters (such as BackOff), got ${JSON.stringify(ev.reason.slice(0, 200))}` });
  if ((ev.message?.length ?? 0) > StatusLimits.message) out.push({ field: 'message', message: `a node's event message is at most ${StatusLimits.message} characters, got ${ev.message?.length ?? 0}` });
  if ((ev.source?.component?.length ?? 0) > StatusLimits.reason) out.push({ field: 'source.component', message: `must be at most ${StatusLimits.reason} characters` });
  if (ev.source?.host !== undefined && ev.source.host !== node) out.push({ field: 'source.host', message: `must be this node's name "${node}" when set` });
  return out;
}

/** Check a node's Event create (stored undefined) or update (over the stored event). */
export async function admitNodeEvent(api: Pick<ApiClient, 'get'>, node: string, input: unknown, stored?: Event): Promise<void> {
  const causes = eventKind.validate(input);
  const ev = input as Event;
  if (causes.length > 0) throw invalid('Event', String(ev?.metadata?.name ?? ''), causes);
  const ns = ev.metadata.namespace ?? 'default';
  const out = shapeCauses(node, ev);
  const why = await aboutOwn(api, node, (stored ?? ev).involvedObject, stored?.metadata.namespace ?? ns);
  if (why) out.push({ field: 'involvedObject', message: why });
  else if (stored && !sameRef(stored.involvedObject, ev.involvedObject)) out.push({ field: 'involvedObject', message: 'may not change on update' });
  if (out.length > 0) throw forbiddenFor(node, 'Event', ev.metadata.name, out);
}
