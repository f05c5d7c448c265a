/**
 * `lanternd server` flags of the API's limits and audit log, named as kube-apiserver names them
 * (--max-requests-inflight, --audit-log-path, ...), and what they turn into.
 */
import type { AuditOptions } from '../server/audit/audit-log.js';
import { defaultLimits, type ServerLimits } from '../server/http/chain/limits.js';
import { FlagError, type FlagSpec } from './flags.js';

/** The flags, for parseFlags. */
export const apiLimitFlags: FlagSpec = {
  'max-requests-inflight': 'string',
  'max-mutating-requests-inflight': 'string',
  'max-connections-per-address': 'string',
  'audit-log-path': 'string',
  'audit-policy-file': 'string',
  'audit-log-maxsize': 'string',
  'audit-log-maxbackup': 'string',
};

/** Their lines of `lanternd server --help`. */
export const apiLimitFlagsUsage = `  --max-requests-inflight N           read-only requests served at once; more are answered 429 with
                                      Retry-After (watches, logs, exec and other streams do not count;
                                      0: no limit; default ${defaultLimits.maxRequestsInflight})
  --max-mutating-requests-inflight N  the same for writes (default ${defaultLimits.maxMutatingRequestsInflight})
  --max-connections-per-address N     open connections one client address may hold; more are answered
                                      429 and closed (0: no limit; default ${defaultLimits.maxConnectionsPerAddress})
  --audit-log-path FILE         write an audit.k8s.io/v1 Event per request to FILE, one JSON line each ('-': stdout)
  --audit-policy-file FILE      audit Policy (audit.k8s.io/v1 YAML); default: every request at Metadata
  --audit-log-maxsize MB        rotate the audit log at this size (default 100)
  --audit-log-maxbackup N       rotated audit logs to keep (default 10; 0 keeps all)
`;

function count(flags: Record<string, string | boolean>, name: string, fallback: number): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 0) throw new FlagError(`--${name}: expected a whole number >= 0, got ${JSON.stringify(v)}`);
  return n;
}

/** The limits the flags set (others keep their defaults). */
export function apiLimitsFromFlags(flags: Record<string, string | boolean>): Partial<ServerLimits> {
  return {
    maxRequestsInflight: count(flags, 'max-requests-inflight', defaultLimits.maxRequestsInflight),
    maxMutatingRequestsInflight: count(flags, 'max-mutating-requests-inflight', defaultLimits.maxMutatingRequestsInflight),
    maxConnectionsPerAddress: count(flags, 'max-connections-per-address', defaultLimits.maxConnectionsPerAddress),
  };
}

/** The audit log --audit-log-path asks for (opened by the daemon's audit-log component), or undefined. */
export function auditLogFromFlags(flags: Record<string, string | boolean>): AuditOptions | undefined {
  const file = flags['audit-log-path'];
  if (typeof file !== 'string' || file === '') {
    if (flags['audit-policy-file'] !== undefined) throw new FlagError('--audit-policy-file needs --audit-log-path (where the events go)');
    return undefined;
  }
  const policyFile = flags['audit-policy-file'];
  return {
    path: file,
    policyFile: typeof policyFile === 'string' ? policyFile : undefined,
    maxSizeMb: count(flags, 'audit-log-maxsize', 100),
    maxBackups: count(flags, 'audit-log-maxbackup', 10),
  };
}
