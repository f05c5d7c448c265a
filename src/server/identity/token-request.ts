/**
 * TokenRequest (authentication.k8s.io/v1), POST /api/v1/namespaces/NS/serviceaccounts/NAME/token:
 * who may ask, what a valid request is, and the token it gets. The admin may ask for any
 * ServiceAccount; a node only for a pod bound to it that runs as that ServiceAccount (the kubelet's
 * projected token); a user as its authorizer decides (create serviceaccounts/token).
 */
import { ApiError, type FieldCause } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/types.js';
import type { Identity } from '../http/auth.js';
import { authorize, nodeNameOf } from '../http/authz.js';
import { apiAudience, type ServiceAccountTokens, type TokenSubject } from './sa-tokens.js';

/** The path of a TokenRequest: namespace and ServiceAccount. */
export const tokenRequestPath = /^\/api\/v1\/namespaces\/([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)\/serviceaccounts\/([^/]+)\/token$/;

/** kube-apiserver's bounds: at least 10 minutes, default an hour, at most (here) a day. */
const MIN_SECONDS = 600, DEFAULT_SECONDS = 3600, MAX_SECONDS = 86_400;

interface Spec { audiences: string[]; expirationSeconds: number; boundObjectRef?: { kind: string; name: string; uid?: string } }
interface PodLike extends ApiObject { spec?: { nodeName?: string; serviceAccountName?: string } }

const invalid = (causes: FieldCause[]): never => {
  throw new ApiError('Invalid', `TokenRequest is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`, { kind: 'TokenRequest', causes });
};

/** The spec of a TokenRequest body, checked field by field. */
export function tokenRequestSpec(body: Record<string, unknown>): Spec {
  const spec = (body.spec ?? {}) as Record<string, unknown>;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) invalid([{ field: 'spec', message: 'must be an object' }]);
  const causes: FieldCause[] = [];
  const aud = spec.audiences ?? [apiAudience];
  if (!Array.isArray(aud) || aud.length === 0 || !aud.every((a) => typeof a === 'string' && a !== '' && a.length <= 256)) causes.push({ field: 'spec.audiences', message: 'must be a list of audience names (text), e.g. ["https://kubernetes.default.svc.cluster.local"]' });
  const exp = spec.expirationSeconds ?? DEFAULT_SECONDS;
  if (typeof exp !== 'number' || !Number.isInteger(exp) || exp < MIN_SECONDS || exp > MAX_SECONDS) causes.push({ field: 'spec.expirationSeconds', message: `Invalid value: ${JSON.stringify(exp)}: must be a whole number of seconds from ${MIN_SECONDS} to ${MAX_SECONDS}` });
  const ref = spec.boundObjectRef as Record<string, unknown> | undefined;
  if (ref !== undefined && (typeof ref !== 'object' || ref === null || ref.kind !== 'Pod' || typeof ref.name !== 'string' || (ref.uid !== undefined && typeof ref.uid !== 'string'))) {
    causes.push({ field: 'spec.boundObjectRef', message: 'must be {"kind": "Pod", "apiVersion": "v1", "name": NAME, "uid": UID}: tokens bind to pods only here' });
  }
  if (causes.length > 0) invalid(causes);
  return { audiences: aud as string[], expirationSeconds: exp as number, ...(ref ? { boundObjectRef: ref as Spec['boundObjectRef'] } : {}) };
}

/** Check the caller may have the token, then issue it; the answer is the TokenRequest with its status. */
export async function serveTokenRequest(api: ApiClient, tokens: ServiceAccountTokens, id: Identity, namespace: string, name: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const spec = tokenRequestSpec(body);
  if (id.role !== 'node') authorize(id, { verb: 'create', resource: 'serviceaccounts/token', namespace, name });
  let pod: PodLike | undefined;
  if (spec.boundObjectRef) {
    pod = await api.get<PodLike>('pods', spec.boundObjectRef.name, namespace);
    if (spec.boundObjectRef.uid !== undefined && spec.boundObjectRef.uid !== pod.metadata.uid) throw new ApiError('Conflict', `pod "${namespace}/${pod.metadata.name}" has uid ${pod.metadata.uid ?? ''}, not ${spec.boundObjectRef.uid}: it was replaced`);
    if ((pod.spec?.serviceAccountName ?? 'default') !== name) throw new ApiError('BadRequest', `pod "${namespace}/${pod.metadata.name}" runs as ServiceAccount "${pod.spec?.serviceAccountName ?? 'default'}", not "${name}"`);
  }
  if (id.role === 'node') {
    // A node may ask only for the token a pod bound to it runs with (the kubelet's), never any other.
    const node = nodeNameOf(id);
    if (pod === undefined || pod.spec?.nodeName !== node) {
      throw new ApiError('Forbidden', `${id.name} may not create serviceaccounts/token "${namespace}/${name}": a node may ask only for the token of a pod bound to it (spec.boundObjectRef naming that pod)`);
    }
  }
  const sa = await api.get<ApiObject>('serviceaccounts', name, namespace);
  const subject: TokenSubject = { namespace, name, uid: sa.metadata.uid ?? '', ...(pod ? { pod: { name: pod.metadata.name, uid: pod.metadata.uid ?? '' } } : {}) };
  const issued = tokens.issue(subject, spec.audiences, spec.expirationSeconds);
  return {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: new Date().toISOString() },
    spec: { audiences: spec.audiences, expirationSeconds: spec.expirationSeconds, boundObjectRef: spec.boundObjectRef ? { apiVersion: 'v1', ...spec.boundObjectRef } : null },
    status: issued,
  };
}
