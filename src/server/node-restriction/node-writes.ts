/**
 * Kubernetes' NodeRestriction for a node's writes to its own Node: it reports its status and the
 * labels it knows about itself; labels under protected prefixes, labels and taints an admin set,
 * spec.podCIDR and uncordoning are the admin's. Pure: the caller hands in the stored Node.
 */
import { ApiError, conflict, invalid, type FieldCause } from '../../api/errors.js';
import type { Node, Taint } from '../../api/node.js';
import { nodeKind } from '../../api/kinds/node.js';
import { reportedLabels, reportedLabelsAnnotation } from '../../api/node-labels.js';
import { protectedLabelRule, underPrefix } from './protected-labels.js';
import { nodeNetworkAnnotationRule, nodeNetworkPrefix } from '../../api/pod-network.js';
import { resourceClaimCauses } from './resource-bounds.js';
import { checkDeviceAnnotation } from './node-devices.js';
import { checkCsiAnnotation } from './csi-volumes.js';
import { checkAutonomyAnnotation } from './autonomy.js';

/** One Forbidden error naming every field the node may not write and the rule for each. */
export function forbiddenFor(node: string, kind: string, name: string, causes: FieldCause[]): ApiError {
  return new ApiError('Forbidden', `system:node:${node} may not write ${kind.toLowerCase()} "${name}" this way (node restriction): ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`,
    { kind, name, causes });
}

const isClaim = (c: FieldCause): boolean => /^status\.(capacity|allocatable)(\.|$)/.test(c.field);

/**
 * The Node's validation for a node writer: a bad resource claim (not a quantity, negative,
 * allocatable over capacity, over a machine's bounds) is Forbidden, anything else malformed Invalid.
 */
function checkNodeObject(node: string, obj: unknown): Node {
  const name = String((obj as { metadata?: { name?: unknown } } | null)?.metadata?.name ?? '');
  const causes = nodeKind.validate(obj);
  const claims = [...causes.filter(isClaim), ...(causes.length === 0 ? resourceClaimCauses((obj as Node).status) : [])];
  if (claims.length > 0) throw forbiddenFor(node, 'Node', name, claims);
  if (causes.length > 0) throw invalid('Node', name, causes);
  return structuredClone(obj) as Node;
}

const annotationRule = 'annotations under this prefix are written by the API server and admins only';

/** The pod network annotations a node writes about itself (its VTEP MAC and address): exactly those keys, well formed. */
function checkNetworkAnnotations(annotations: Record<string, string>, before: Record<string, string>, out: FieldCause[]): void {
  for (const [k, v] of Object.entries(annotations)) {
    if (!k.startsWith(nodeNetworkPrefix) || before[k] === v) continue;
    const rule = nodeNetworkAnnotationRule(k, v);
    if (rule) out.push({ field: `metadata.annotations.${k}`, message: rule });
  }
}

function checkNewLabels(labels: Record<string, string>, before: Record<string, string>, prefixes: readonly string[], out: FieldCause[]): void {
  for (const [k, v] of Object.entries(labels)) {
    if (before[k] === v) continue;
    const rule = protectedLabelRule(k, prefixes);
    if (rule) out.push({ field: `metadata.labels.${k}`, message: rule });
  }
}

const taintKey = (t: Taint): string => JSON.stringify([t.key, t.value ?? '', t.effect, t.timeAdded ?? '']);
const sameTaints = (a: Taint[] | undefined, b: Taint[] | undefined): boolean =>
  JSON.stringify((a ?? []).map(taintKey).sort()) === JSON.stringify((b ?? []).map(taintKey).sort());

/** A node registering its Node: no protected labels or annotations, no podCIDR, claims within bounds. */
export function admitNodeCreate(node: string, input: unknown, prefixes: readonly string[]): Node {
  const obj = checkNodeObject(node, input);
  const out: FieldCause[] = [];
  const labels = obj.metadata.labels ?? {};
  checkNewLabels(labels, {}, prefixes, out);
  for (const k of Object.keys(obj.metadata.annotations ?? {})) if (prefixes.some((p) => underPrefix(k, p))) out.push({ field: `metadata.annotations.${k}`, message: annotationRule });
  checkNetworkAnnotations(obj.metadata.annotations ?? {}, {}, out);
  checkDeviceAnnotation(obj.metadata.annotations ?? {}, {}, out);
  checkCsiAnnotation(obj.metadata.annotations ?? {}, {}, out);
  checkAutonomyAnnotation({ ...obj.metadata.annotations }, {}, out);
  if (obj.spec?.podCIDR !== undefined) out.push({ field: 'spec.podCIDR', message: 'the pod range is assigned by an admin, not claimed by the node' });
  // Taints are the node's to choose at registration only (kubelet's --register-with-taints); setting
  // spec.unschedulable (registering cordoned) is allowed.
  if (out.length > 0) throw forbiddenFor(node, 'Node', obj.metadata.name, out);
  obj.metadata.annotations = { ...obj.metadata.annotations, [reportedLabelsAnnotation]: JSON.stringify(labels) };
  return obj;
}

/**
 * A node updating its Node over the stored one: labels an admin set (or changed) stay as they are,
 * its own labels may change (not into protected prefixes), taints and podCIDR do not change, and
 * spec.unschedulable is never unset. The write is pinned to the stored revision it was checked against.
 */
export function admitNodeUpdate(node: string, input: unknown, stored: Node, prefixes: readonly string[]): Node {
  const obj = checkNodeObject(node, { ...(input as Node), status: stored.status }); // an update keeps the stored status
  const rv = obj.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== stored.metadata.resourceVersion) throw conflict('Node', obj.metadata.name);
  const out: FieldCause[] = [];
  const before = stored.metadata.labels ?? {};
  const labels = obj.metadata.labels ?? {};
  const reported = reportedLabels(stored);
  const adminSet = new Set(Object.keys(before).filter((k) => reported[k] !== before[k]));
  for (const k of adminSet) {
    if (labels[k] !== before[k]) out.push({ field: `metadata.labels.${k}`, message: `set by an admin (${JSON.stringify(before[k])}): a node may not ${k in labels ? 'change' : 'remove'} it` });
  }
  checkNewLabels(labels, before, prefixes, out);
  const annotations = { ...obj.metadata.annotations };
  checkNetworkAnnotations(annotations, stored.metadata.annotations ?? {}, out);
  checkDeviceAnnotation(annotations, stored.metadata.annotations ?? {}, out);
  checkCsiAnnotation(annotations, stored.metadata.annotations ?? {}, out);
  checkAutonomyAnnotation(annotations, stored.metadata.annotations ?? {}, out);
  for (const k of new Set([...Object.keys(annotations), ...Object.keys(stored.metadata.annotations ?? {})])) {
    if (!prefixes.some((p) => underPrefix(k, p))) continue;
    const old = stored.metadata.annotations?.[k];
    if (annotations[k] !== undefined && annotations[k] !== old) out.push({ field: `metadata.annotations.${k}`, message: annotationRule });
    else if (old !== undefined) annotations[k] = old; // left out: kept, not removed
  }
  if (!sameTaints(obj.spec?.taints, stored.spec?.taints)) {
    out.push({ field: 'spec.taints', message: 'a node sets its taints only when it registers (kubelet\'s --register-with-taints); an admin changes them (lcctl taint node)' });
  }
  if (stored.spec?.unschedulable === true && obj.spec?.unschedulable !== true) {
    out.push({ field: 'spec.unschedulable', message: 'a node may cordon itself but not uncordon: an admin runs lcctl uncordon' });
  }
  if (obj.spec?.podCIDR !== stored.spec?.podCIDR) out.push({ field: 'spec.podCIDR', message: 'the pod range is assigned by an admin, not claimed by the node' });
  if (out.length > 0) throw forbiddenFor(node, 'Node', obj.metadata.name, out);
  const own = Object.fromEntries(Object.entries(labels).filter(([k]) => !adminSet.has(k)));
  obj.metadata.annotations = { ...annotations, [reportedLabelsAnnotation]: JSON.stringify(own) };
  obj.metadata.resourceVersion = stored.metadata.resourceVersion;
  return obj;
}

/** A node writing its Node's status: the usual validation, claims within bounds (Forbidden otherwise). */
export function admitNodeStatus(node: string, input: unknown, stored: Node): void {
  checkNodeObject(node, { ...stored, status: (input as { status?: unknown } | null)?.status });
}
