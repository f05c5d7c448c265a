/**
 * The audit log as the HTTP server uses it: a policy deciding each request's level, and the file
 * events go to. `lanternd server --audit-log-path FILE [--audit-policy-file FILE]` opens one.
 */
import { readFile } from 'node:fs/promises';
import type { Counter, Registry } from '../../metrics/registry.js';
import type { AuditEvent } from './event.js';
import { LogFile } from './log-file.js';
import { evaluate, metadataPolicy, parsePolicy, type AuditAttributes, type AuditPolicy, type AuditUserAttributes, type Level, type Stage } from './policy.js';

/** Flags of kube-apiserver's log backend. */
export interface AuditOptions {
  /** --audit-log-path: the file ('-': stdout). */
  path: string;
  /** --audit-policy-file: a Policy; absent, every request is logged at Metadata. */
  policyFile?: string;
  /** --audit-log-maxsize: megabytes before the file is rotated (0: lumberjack's default, 100). */
  maxSizeMb?: number;
  /** --audit-log-maxbackup: rotated files kept (0: all). */
  maxBackups?: number;
  metrics?: Registry;
}

/** Policy + file. */
export class AuditLog {
  /** Whether any rule can ask for bodies (Request, RequestResponse): only then are they captured. */
  readonly wantsBodies: boolean;
  private readonly events?: Counter;
  private readonly errors?: Counter;

  constructor(readonly policy: AuditPolicy, private readonly file: LogFile, metrics?: Registry) {
    this.wantsBodies = policy.rules.some((r) => r.level === 'Request' || r.level === 'RequestResponse');
    if (metrics) {
      this.events = metrics.counter({ name: 'apiserver_audit_event_total', help: 'Counter of audit events generated and sent to the audit backend.' });
      this.errors = metrics.counter({ name: 'apiserver_audit_error_total', help: 'Counter of audit events that failed to be audited properly. Plugin identifies the plugin affected by the error.', labelNames: ['plugin'] });
    }
  }

  /** Read the policy, open the file, and flush it when the process exits. */
  static async open(opts: AuditOptions): Promise<AuditLog> {
    const policy = opts.policyFile ? parsePolicy(await readFile(opts.policyFile, 'utf8'), opts.policyFile) : metadataPolicy;
    const maxSizeMb = opts.maxSizeMb === undefined || opts.maxSizeMb <= 0 ? 100 : opts.maxSizeMb;
    const file = await LogFile.open({ path: opts.path, maxBytes: maxSizeMb * 1024 * 1024, maxBackups: opts.maxBackups ?? 10 });
    const log = new AuditLog(policy, file, opts.metrics);
    process.once('exit', () => log.flushSync());
    return log;
  }

  /** The level and the stages not to log for a request. */
  decide(a: AuditAttributes, user: AuditUserAttributes): { level: Level; omitStages: readonly Stage[] } { return evaluate(this.policy, a, user); }

  /** Queue one event (a line of JSON). */
  emit(event: AuditEvent): void {
    const before = this.file.dropped;
    this.file.write(JSON.stringify(event));
    if (this.file.dropped > before) this.errors?.inc({ plugin: 'log' }); else this.events?.inc();
  }

  /** Write what is queued (tests, shutdown). */
  flush(): Promise<void> { return this.file.flush(); }
  flushSync(): void { this.file.flushSync(); }
  close(): Promise<void> { return this.file.close(); }
}
