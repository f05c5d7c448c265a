/**
 * Kubernetes' Pod Security admission: a pod created in a namespace is checked against the levels its
 * labels name. enforce refuses (403, kube-apiserver's message); warn answers a Warning header; audit
 * annotates the audit event. A workload's pod template (Deployment, Job...) is only warned about, as
 * in Kubernetes: its pods are checked, and refused, when its controller creates them.
 */
import { ApiError } from '../../../api/errors.js';
import type { ApiObject } from '../../../api/meta.js';
import { systemNamespaces, type Namespace } from '../../../api/schema/namespace.js';
import type { ApiClient } from '../../../client/types.js';
import { admissionNotes } from '../context.js';
import { describeViolations, evaluate, type CheckedSpec } from './checks.js';
import { labelProblems, policyOf, type LevelVersion, type Policy, type PodSecurityDefaults } from './policy.js';

/** Where the pod template of each workload resource is. */
const templatePaths: Record<string, readonly string[]> = {
  deployments: ['spec', 'template'], replicasets: ['spec', 'template'], statefulsets: ['spec', 'template'],
  daemonsets: ['spec', 'template'], jobs: ['spec', 'template'], cronjobs: ['spec', 'jobTemplate', 'spec', 'template'],
};

function templateOf(resource: string, obj: ApiObject): { spec: CheckedSpec; annotations: Record<string, string> } | undefined {
  const path = templatePaths[resource];
  if (path === undefined) return undefined;
  let at: unknown = obj;
  for (const p of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[p] : undefined;
  const t = at as { spec?: CheckedSpec; metadata?: { annotations?: Record<string, string> } } | undefined;
  return t?.spec?.containers === undefined ? undefined : { spec: t.spec, annotations: t.metadata?.annotations ?? {} };
}

const label = (lv: LevelVersion): string => `${lv.level}:${lv.version}`;

/** The policy of NAMESPACE: its labels over the defaults; a system namespace without an enforce label is privileged. */
export async function namespacePolicy(api: Pick<ApiClient, 'get'>, namespace: string, defaults: PodSecurityDefaults): Promise<Policy> {
  const ns = await api.get<Namespace>('namespaces', namespace).catch((e: unknown) => {
    if (e instanceof ApiError && e.code === 'NotFound') return undefined;
    throw e;
  });
  const labels = ns?.metadata.labels;
  // default and lantern-system are the admin's (labelled privileged at creation; kept so when a data
  // directory from before Pod Security has them unlabelled): Docker's `run --privileged` works there.
  const base = systemNamespaces.includes(namespace) ? { enforce: 'privileged' as const } : defaults;
  return policyOf(labels, base);
}

/**
 * A namespace's enforce level changed: warn about its pods the new level would refuse, as
 * kube-apiserver does (they keep running; at most 10 are named).
 */
async function warnExistingPods(api: Pick<ApiClient, 'get' | 'list'>, ns: ApiObject, defaults: PodSecurityDefaults, warn: (text: string) => void): Promise<void> {
  const name = ns.metadata.name;
  const before = await namespacePolicy(api, name, defaults);
  const base = systemNamespaces.includes(name) ? { enforce: 'privileged' as const } : defaults;
  const after = policyOf(ns.metadata.labels, base);
  if (after.enforce.level === before.enforce.level || after.enforce.level === 'privileged') return;
  const pods = (await api.list<ApiObject & { spec: CheckedSpec }>('pods', name)).items;
  const bad = pods.map((p) => ({ name: p.metadata.name, vs: evaluate(after.enforce.level, p.spec, p.metadata.annotations ?? {}) })).filter((p) => p.vs.length > 0);
  if (bad.length === 0) return;
  warn(`existing pods in namespace "${name}" violate the new PodSecurity enforce level "${label(after.enforce)}"`);
  for (const p of bad.slice(0, 10)) warn(`${p.name}: ${p.vs.map((v) => v.reason).join(', ')}`);
}

/** Pod Security admission of a create or update of OBJ (of RESOURCE): throws 403 for a pod the enforce level refuses. */
export async function admitPodSecurity(api: Pick<ApiClient, 'get' | 'list'>, resource: string, obj: ApiObject, defaults: PodSecurityDefaults, operation: 'create' | 'update'): Promise<void> {
  const notes = admissionNotes();
  if (resource === 'namespaces') {
    for (const p of labelProblems(obj.metadata.labels)) notes?.warn(p);
    if (operation === 'update' && notes !== undefined) await warnExistingPods(api, obj, defaults, notes.warn);
    return;
  }
  const isPod = resource === 'pods';
  const template = isPod ? undefined : templateOf(resource, obj);
  // A template is only warned about: without a caller to tell (a controller's write), there is nothing to do.
  if (!isPod && (template === undefined || notes === undefined)) return;
  // Kubernetes checks a pod's update only for the fields it may change (images): none of the checked ones.
  if (isPod && operation === 'update') return;
  const policy = await namespacePolicy(api, obj.metadata.namespace ?? 'default', defaults);
  const spec = isPod ? (obj as unknown as { spec: CheckedSpec }).spec : template?.spec;
  const annotations = isPod ? obj.metadata.annotations ?? {} : template?.annotations ?? {};
  if (spec === undefined) return;
  const enforced = evaluate(policy.enforce.level, spec, annotations);
  if (isPod && enforced.length > 0) {
    throw new ApiError('Forbidden', `pods "${obj.metadata.name}" is forbidden: violates PodSecurity "${label(policy.enforce)}": ${describeViolations(enforced)}`, { kind: 'Pod', name: obj.metadata.name });
  }
  const warned = new Set<string>();
  for (const lv of isPod ? [policy.warn] : [policy.enforce, policy.warn]) {
    const vs = lv === policy.enforce ? enforced : evaluate(lv.level, spec, annotations);
    if (vs.length === 0 || warned.has(label(lv))) continue;
    warned.add(label(lv));
    notes?.warn(`would violate PodSecurity "${label(lv)}": ${describeViolations(vs)}`);
  }
  const audited = evaluate(policy.audit.level, spec, annotations);
  if (audited.length > 0) notes?.annotate('pod-security.kubernetes.io/audit-violations', `would violate PodSecurity "${label(policy.audit)}": ${describeViolations(audited)}`);
  if (isPod) notes?.annotate('pod-security.kubernetes.io/enforce-policy', label(policy.enforce));
}
