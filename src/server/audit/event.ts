/** The audit.k8s.io/v1 Event, as kube-apiserver writes it to its audit log (one JSON object a line). */
import type { Level, Stage } from './policy.js';

/** Who made the request. */
export interface AuditUser { username: string; groups: string[] }

/** The object a request is about. */
export interface ObjectReference {
  resource?: string;
  namespace?: string;
  name?: string;
  apiGroup?: string;
  apiVersion?: string;
  subresource?: string;
}

/** The answer's status (a metav1.Status, trimmed as kube-apiserver does for successes). */
export interface ResponseStatus { metadata: Record<string, never>; code: number; status?: 'Failure'; message?: string; reason?: string }

/** One audit event. */
export interface AuditEvent {
  kind: 'Event';
  apiVersion: 'audit.k8s.io/v1';
  level: Exclude<Level, 'None'>;
  auditID: string;
  stage: Stage;
  requestURI: string;
  verb: string;
  user: AuditUser;
  sourceIPs: string[];
  userAgent?: string;
  objectRef?: ObjectReference;
  responseStatus?: ResponseStatus;
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

/** The user of a request no valid credential came with. */
export const anonymousUser: AuditUser = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The groups of each Lantern identity, in Kubernetes' names (the admin is system:masters). */
const groupsOfRole: Record<string, string[]> = {
  admin: ['system:masters', 'system:authenticated'],
  node: ['system:nodes', 'system:authenticated'],
  join: ['system:bootstrappers', 'system:authenticated'],
};

/** The audit user of an identity (name and role), or the anonymous user. */
export function auditUser(id: { name: string; role: string } | undefined): AuditUser {
  if (id === undefined) return anonymousUser;
  return { username: id.name, groups: groupsOfRole[id.role] ?? ['system:authenticated'] };
}

/** kube-apiserver's MicroTime: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/**
 * Requests whose bodies carry secrets: Secrets, and anything that issues, lists or rotates tokens
 * and credentials (the join's NodeCredential, join tokens, node credentials, the admin token).
 * These are never logged above Metadata, whatever the policy says.
 */
export function carriesSecrets(ref: { resource: string; subresource: string; path: string }): boolean {
  if (ref.resource === 'secrets' || ref.subresource === 'join') return true;
  return /token|credential|secret|password/i.test(`${ref.resource}/${ref.subresource}`) || /token|credential|secret|password/i.test(ref.path);
}
