import { Type } from '@sinclair/typebox';
import { StatusLimits, reasonPattern } from '../status-limits.js';

// Status is written by nodes and controllers; the API trusts neither: every string has a bound and a shape.

/** A reason: one CamelCase word ("CrashLoopBackOff"). */
export const Reason = Type.String({ maxLength: StatusLimits.reason, pattern: reasonPattern.source, description: 'a CamelCase word such as CrashLoopBackOff' });
/** A container state's message. */
export const Message = Type.String({ maxLength: StatusLimits.message });
/** A condition's message, or a pod's. */
export const LongMessage = Type.String({ maxLength: StatusLimits.longMessage });
/** An image name or ID, a container ID, a version string. */
export const ShortText = Type.String({ maxLength: StatusLimits.text });
/** An RFC 3339 time, as JSON carries Kubernetes' metav1.Time. */
export const Time = Type.String({ maxLength: 64, pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$', description: 'an RFC 3339 time such as 2024-05-01T11:00:00Z' });
/** An IP address (kinds/ check that it is one). */
export const Address = Type.String({ maxLength: 64 });
/** A condition type: a CamelCase word, optionally prefixed by a DNS subdomain and "/". */
export const ConditionType = Type.String({ minLength: 1, maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z][A-Za-z0-9]*$', description: 'a condition type: a CamelCase word such as Ready, optionally prefixed with a DNS subdomain and "/"' });
