/**
 * authorization.k8s.io/v1 reviews: SelfSubjectAccessReview (may I?), SubjectAccessReview (may they?:
 * the admin, or a user with create on subjectaccessreviews), LocalSubjectAccessReview (the same within
 * one namespace: a namespace's admin has it) and SelfSubjectRulesReview (what may I do in a namespace).
 * `lcctl auth can-i` and `kubectl auth can-i` ask through them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { Identity } from '../http/auth.js';
import { readJson } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import type { Attributes } from './attributes.js';
import { infoOf, type RbacAuthorizer, type UserInfo } from './authorizer.js';

const prefix = '/apis/authorization.k8s.io/v1/';
const reviews = ['selfsubjectaccessreviews', 'subjectaccessreviews', 'selfsubjectrulesreviews'] as const;

const localPath = /^\/apis\/authorization\.k8s\.io\/v1\/namespaces\/([^/]+)\/localsubjectaccessreviews$/;

/** Whether PATH is one of the review endpoints (LocalSubjectAccessReview is namespaced). */
export const isAccessReviewPath = (path: string): boolean => (path.startsWith(prefix) && (reviews as readonly string[]).includes(path.slice(prefix.length))) || localPath.test(path);

interface ReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string; groups?: string[]; namespace?: string;
}

const str = (v: unknown, field: string): string => {
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new ApiError('BadRequest', `${field}: must be a string`);
  return v;
};

/** The attributes a review's spec asks about (BadRequest naming the field when it asks about nothing). */
export function reviewAttributes(spec: ReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if (r !== undefined && typeof r === 'object') {
    const verb = str(r.verb, 'spec.resourceAttributes.verb');
    if (verb === '') throw new ApiError('BadRequest', 'spec.resourceAttributes.verb: Required value: the verb to ask about (get, list, create ...)');
    return { verb, resourceRequest: true, apiGroup: str(r.group, 'spec.resourceAttributes.group'), resource: str(r.resource, 'spec.resourceAttributes.resource'), subresource: str(r.subresource, 'spec.resourceAttributes.subresource'), name: str(r.name, 'spec.resourceAttributes.name'), namespace: str(r.namespace, 'spec.resourceAttributes.namespace'), path: '' };
  }
  if (n !== undefined && typeof n === 'object') {
    return { verb: str(n.verb, 'spec.nonResourceAttributes.verb'), resourceRequest: false, apiGroup: '', resource: '', subresource: '', name: '', namespace: '', path: str(n.path, 'spec.nonResourceAttributes.path') };
  }
  throw new ApiError('BadRequest', 'spec: Invalid value: exactly one of resourceAttributes and nonResourceAttributes is required');
}

/** The answer for USER (undefined: the admin, who may do anything). */
function decide(rbac: RbacAuthorizer, user: UserInfo | undefined, at: Attributes): { allowed: boolean; reason?: string } {
  if (user === undefined) return { allowed: true, reason: 'the admin token may do anything' };
  const allowed = rbac.allows(user, at);
  // As kube-apiserver's RBAC: a denial carries no reason (kubectl prints a bare "no"); the 403 of a request names it all.
  return allowed ? { allowed, reason: 'RBAC: allowed by a binding' } : { allowed };
}

/** Whose rights a self review asks about: the admin (undefined) or a user; nodes and the join token are the rule table's, not RBAC's. */
function selfOf(id: Identity): UserInfo | undefined {
  if (id.role === 'admin') return undefined;
  if (id.role === 'user') return infoOf(id);
  throw new ApiError('Forbidden', `${id.name} is decided by the fixed node/join rules, not RBAC: access reviews are for users`);
}

/** Serve POST PATH for ID. */
export async function serveAccessReview(rbac: RbacAuthorizer, id: Identity, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const local = localPath.exec(path)?.[1];
  const review = local !== undefined ? 'localsubjectaccessreviews' : path.slice(prefix.length);
  if (req.method !== 'POST') throw new ApiError('MethodNotAllowed', `${review}: only POST (create) is served`);
  const body = await readJson(req);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError('BadRequest', 'request body: expected an object with spec');
  const spec = ((body as { spec?: unknown }).spec ?? {}) as ReviewSpec;
  if (typeof spec !== 'object' || spec === null) throw new ApiError('BadRequest', 'spec: expected an object');
  const kind = { selfsubjectaccessreviews: 'SelfSubjectAccessReview', subjectaccessreviews: 'SubjectAccessReview', localsubjectaccessreviews: 'LocalSubjectAccessReview', selfsubjectrulesreviews: 'SelfSubjectRulesReview' }[review];
  const answer = (status: unknown): void => sendJson(res, 201, { apiVersion: 'authorization.k8s.io/v1', kind, metadata: local !== undefined ? { namespace: local } : {}, spec, status });
  if (review === 'selfsubjectrulesreviews') {
    const user = selfOf(id);
    const ns = str(spec.namespace, 'spec.namespace');
    const rules = user === undefined ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] : rbac.rulesFor(user, ns);
    answer({
      resourceRules: rules.filter((r) => (r.nonResourceURLs ?? []).length === 0).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) })),
      nonResourceRules: rules.filter((r) => (r.nonResourceURLs ?? []).length > 0).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
      incomplete: false,
    });
    return;
  }
  const at = reviewAttributes(spec);
  if (review === 'selfsubjectaccessreviews') { answer(decide(rbac, selfOf(id), at)); return; }
  // (Local)SubjectAccessReview asks about someone else: the admin, or a user granted create on it
  // (a namespace's admin may ask about its own namespace only: LocalSubjectAccessReview).
  if (local !== undefined && at.namespace !== local) throw new ApiError('BadRequest', `spec.resourceAttributes.namespace: Invalid value: ${JSON.stringify(at.namespace)}: must be the namespace of the review, "${local}"`);
  const asking: Attributes = { verb: 'create', resourceRequest: true, apiGroup: 'authorization.k8s.io', resource: review, subresource: '', name: '', namespace: local ?? '', path: '' };
  if (!(id.role === 'admin' || (id.role === 'user' && rbac.allows(infoOf(id), asking)))) {
    throw new ApiError('Forbidden', `${review}.authorization.k8s.io is forbidden: User "${id.name}" cannot create resource "${review}" in API group "authorization.k8s.io" ${local !== undefined ? `in the namespace "${local}"` : 'at the cluster scope'}`);
  }
  const user = str(spec.user, 'spec.user');
  if (user === '' && (spec.groups ?? []).length === 0) throw new ApiError('BadRequest', 'spec.user: Required value: at least one of user or groups must be given');
  if (spec.groups !== undefined && (!Array.isArray(spec.groups) || spec.groups.some((g) => typeof g !== 'string'))) throw new ApiError('BadRequest', 'spec.groups: expected a list of strings');
  answer(decide(rbac, { name: user, groups: spec.groups ?? [] }, at));
}
