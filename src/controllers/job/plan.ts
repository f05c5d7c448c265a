/**
 * One reconcile of a Job as a pure function: from the Job, its pods and the time, the status to write
 * and the pods to create or delete. The controller writes the status first (that write is what makes
 * a count happen exactly once), then acts on the pods.
 */
import type { Pod } from '../../api/pod.js';
import type { Job, JobStatus } from '../../api/schema/job.js';
import type { WorkloadCondition } from '../../api/schema/apps.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { matchRule, failJobMessage } from './failure-policy.js';
import { indexOf, isActive, isFinished, isReady, priorFailures } from './pod-state.js';

/** A pod to make: its index (Indexed Jobs) and how many pods of that index failed before. */
export interface NewPod { index?: number; failures: number }

/** What one reconcile decided. */
export interface JobPlan {
  status: JobStatus;
  create: NewPod[];
  delete: Pod[];
  /** Failures counted in this pass (the controller times the back-off from them). */
  newFailures: number;
  /** Come back after this many ms (back-off, deadline, TTL), if anything is pending on time. */
  requeueMs?: number;
  /** The TTL after finishing has run out: delete the Job. */
  expired: boolean;
  /** Why no pod is being made, for describe and the log. */
  waiting?: string;
}

/** Inputs besides the Job and its pods. */
export interface PlanContext { now: number; backoff: BackoffOptions; lastFailureAt?: number }

const iso = (ms: number): string => new Date(ms).toISOString();
const condTrue = (s: JobStatus | undefined, type: string): WorkloadCondition | undefined => s?.conditions?.find((c) => c.type === type && c.status === 'True');

function setCondition(status: JobStatus, type: string, st: 'True' | 'False', reason: string, message: string, now: number): void {
  const list = status.conditions ?? [];
  const old = list.find((c) => c.type === type);
  if (old?.status === st && old.reason === reason) return;
  const c: WorkloadCondition = { type, status: st, reason, message, lastTransitionTime: iso(now) };
  status.conditions = [...list.filter((x) => x.type !== type), c];
}

/** The moment a finished Job finished (completionTime or the Failed condition's time). */
export function finishTime(job: Job): number | undefined {
  const s = job.status;
  const c = condTrue(s, 'Complete') ?? condTrue(s, 'Failed');
  if (!c) return undefined;
  const t = Date.parse(s?.completionTime ?? c.lastTransitionTime ?? '');
  return Number.isNaN(t) ? undefined : t;
}

/** Decide one step for the Job. Safe to repeat: counted pods are recorded by uid in status.countedPods. */
export function planJob(job: Job, pods: Pod[], ctx: PlanContext): JobPlan {
  const { now } = ctx;
  const spec = job.spec;
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions;
  const old = job.status ?? {};
  const status: JobStatus = structuredClone(old);
  const plan: JobPlan = { status, create: [], delete: [], newFailures: 0, expired: false };
  const present = new Set(pods.map((p) => p.metadata.uid ?? ''));
  // A counted pod that is gone no longer needs remembering (its uid never comes back).
  const countedOk = new Set((old.countedPods?.succeeded ?? []).filter((u) => present.has(u)));
  const countedFail = new Set((old.countedPods?.failed ?? []).filter((u) => present.has(u)));
  const completed = parseIndexes(old.completedIndexes, completions);
  const failedIdx = parseIndexes(old.failedIndexes, completions);
  let succeeded = old.succeeded ?? 0;
  let failed = old.failed ?? 0;
  let failJob: string | undefined;
  const limitPerIndex = spec.backoffLimitPerIndex;

  // Failures per index so far: the replacement pod carries its predecessors' count.
  const indexFailures = new Map<number, number>();
  const bump = (i: number, n: number): void => { indexFailures.set(i, Math.max(indexFailures.get(i) ?? 0, n)); };
  for (const p of pods) {
    const i = indexOf(p);
    if (i === undefined) continue;
    bump(i, priorFailures(p) + (countedFail.has(p.metadata.uid ?? '') ? 1 : 0));
  }

  const finishedBefore = condTrue(old, 'Complete') ?? condTrue(old, 'Failed');
  for (const p of pods.filter(isFinished)) {
    const uid = p.metadata.uid ?? '';
    if (countedOk.has(uid) || countedFail.has(uid)) continue;
    const i = indexOf(p);
    if (p.status?.phase === 'Succeeded') {
      countedOk.add(uid);
      if (!indexed) succeeded++;
      else if (i !== undefined && completions !== undefined && i < completions && !completed.has(i)) { completed.add(i); succeeded++; }
      continue;
    }
    // A pod stopped because the Job deleted it (suspend, deadline, scale-down) is not a failure.
    if (p.metadata.deletionTimestamp) continue;
    const match = matchRule(spec.podFailurePolicy?.rules, p);
    if (match?.rule.action === 'Ignore') continue;
    countedFail.add(uid);
    failed++;
    plan.newFailures++;
    if (match?.rule.action === 'FailJob') failJob ??= failJobMessage(p, match.index);
    if (i !== undefined && limitPerIndex !== undefined) {
      const n = priorFailures(p) + 1;
      bump(i, n);
      if (match?.rule.action === 'FailIndex' || n > limitPerIndex) failedIdx.add(i);
    }
  }
  status.succeeded = succeeded;
  status.failed = failed;
  status.countedPods = { succeeded: [...countedOk], failed: [...countedFail] };
  if (indexed) { status.completedIndexes = formatIndexes(completed); if (limitPerIndex !== undefined) status.failedIndexes = formatIndexes(failedIdx); }

  const active = pods.filter(isActive);
  const terminating = pods.filter((p) => !isFinished(p) && p.metadata.deletionTimestamp).length;
  const finishActive = (): void => { plan.delete.push(...active); };
  const writeCounts = (activeCount: number): JobPlan => {
    status.active = activeCount;
    status.ready = active.filter(isReady).length;
    status.terminating = terminating;
    status.observedGeneration = job.metadata.generation ?? 1;
    return plan;
  };

  if (finishedBefore) {
    finishActive();
    const ttl = spec.ttlSecondsAfterFinished;
    const at = finishTime(job);
    if (ttl !== undefined && at !== undefined) {
      const due = at + ttl * 1000;
      if (now >= due) plan.expired = true; else plan.requeueMs = due - now;
    }
    return writeCounts(0);
  }

  const fail = (reason: string, message: string): JobPlan => {
    setCondition(status, 'Failed', 'True', reason, message, now);
    finishActive();
    plan.requeueMs = spec.ttlSecondsAfterFinished !== undefined ? spec.ttlSecondsAfterFinished * 1000 : undefined;
    return writeCounts(0);
  };
  if (failJob) return fail('PodFailurePolicy', failJob);
  if (limitPerIndex === undefined && failed > (spec.backoffLimit ?? 6)) return fail('BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  if (spec.maxFailedIndexes !== undefined && failedIdx.size > spec.maxFailedIndexes) return fail('MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes');

  // Done?
  const done = indexed ? completed.size + failedIdx.size >= (completions ?? 0)
    : completions !== undefined ? succeeded >= completions
      : succeeded > 0 && active.length === 0;
  if (done) {
    if (failedIdx.size > 0) return fail('FailedIndexes', 'Job has failed indexes');
    setCondition(status, 'Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods', now);
    status.completionTime = iso(now);
    finishActive();
    if (spec.ttlSecondsAfterFinished !== undefined) plan.requeueMs = spec.ttlSecondsAfterFinished * 1000;
    return writeCounts(0);
  }

  if (spec.suspend) {
    setCondition(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
    // Kubernetes clears startTime so the deadline counts from the resume.
    delete status.startTime;
    finishActive();
    plan.waiting = 'the Job is suspended (spec.suspend: true)';
    return writeCounts(0);
  }
  if (condTrue(old, 'Suspended')) setCondition(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
  status.startTime ??= iso(now);

  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined) {
    const due = Date.parse(status.startTime) + deadline * 1000;
    if (now >= due) return fail('DeadlineExceeded', 'Job was active longer than specified deadline');
    plan.requeueMs = due - now;
  }

  // How many pods should run now, and which indexes they take.
  const parallelism = spec.parallelism ?? 1;
  let wanted: NewPod[] = [];
  if (indexed) {
    const busy = new Map<number, Pod[]>();
    for (const p of active) {
      const i = indexOf(p);
      if (i === undefined || completed.has(i) || failedIdx.has(i) || i >= (completions ?? 0)) { plan.delete.push(p); continue; }
      busy.set(i, [...(busy.get(i) ?? []), p]);
    }
    // Two pods for one index (never made by us, but possible by hand): keep the oldest.
    for (const ps of busy.values()) plan.delete.push(...ps.slice(1));
    const running = busy.size;
    const room = Math.max(0, parallelism - running);
    for (let i = 0; i < (completions ?? 0) && wanted.length < room; i++) {
      if (!completed.has(i) && !failedIdx.has(i) && !busy.has(i)) wanted.push({ index: i, failures: indexFailures.get(i) ?? 0 });
    }
    if (running > parallelism) plan.delete.push(...[...busy.values()].map((ps) => ps[0]!).slice(parallelism));
  } else {
    const want = podsWanted(parallelism, completions, succeeded, active.length);
    if (active.length < want) wanted = Array.from({ length: want - active.length }, () => ({ failures: 0 }));
    else if (active.length > want) plan.delete.push(...newestFirst(active).slice(0, active.length - want));
  }

  if (wanted.length > 0 && failed > 0 && ctx.lastFailureAt !== undefined) {
    const delay = backoffDelay(failed, ctx.backoff);
    const until = ctx.lastFailureAt + delay;
    if (now < until) {
      plan.waiting = `back-off after ${failed} failed pod${failed === 1 ? '' : 's'}: next pod in ${Math.ceil((until - now) / 1000)}s`;
      plan.requeueMs = Math.min(plan.requeueMs ?? Infinity, until - now);
      wanted = [];
    }
  }
  plan.create = wanted;
  const deleted = new Set(plan.delete);
  return writeCounts(active.filter((p) => !deleted.has(p)).length + wanted.length);
}

/** Active pods a NonIndexed Job wants: min(parallelism, remaining completions); a work queue stops after a success. */
export function podsWanted(parallelism: number, completions: number | undefined, succeeded: number, active: number): number {
  if (completions === undefined) return succeeded > 0 ? Math.min(active, parallelism) : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

const newestFirst = (ps: Pod[]): Pod[] => [...ps].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
