/** Pure DAG rules: which steps may start, which are skipped, and what the workflow's phase is. */
import type { StepPhase, WorkflowStep } from '../../api/schema/workflow.js';

/** A step's phase by name (absent: Pending). */
export type Phases = ReadonlyMap<string, StepPhase>;

const finished = (p: StepPhase | undefined): boolean => p === 'Succeeded' || p === 'Failed' || p === 'Skipped';

/** Did this dependency end in a way that lets an ordinary (OnSuccess) dependent run? */
function depOk(dep: WorkflowStep | undefined, p: StepPhase | undefined): boolean {
  return p === 'Succeeded' || (p === 'Failed' && dep?.continueOnFailure === true);
}

/** Did this dependency end in a way that stops an ordinary dependent for good? */
function depBlocks(dep: WorkflowStep | undefined, p: StepPhase | undefined): boolean {
  return p === 'Skipped' || (p === 'Failed' && dep?.continueOnFailure !== true);
}

/** Pending steps that can never run: an ordinary step below a failure (not continueOnFailure) or a skip. */
export function stepsToSkip(steps: readonly WorkflowStep[], phases: Phases): string[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  return steps.filter((s) => (phases.get(s.name) ?? 'Pending') === 'Pending' && s.runPolicy !== 'Always'
    && (s.dependsOn ?? []).some((d) => depBlocks(byName.get(d), phases.get(d)))).map((s) => s.name);
}

/**
 * Pending steps whose dependencies are done: all Succeeded (or Failed with continueOnFailure); an
 * Always step once every dependency is finished, whatever happened to it.
 */
export function readySteps(steps: readonly WorkflowStep[], phases: Phases): string[] {
  const byName = new Map(steps.map((s) => [s.name, s]));
  return steps.filter((s) => {
    if ((phases.get(s.name) ?? 'Pending') !== 'Pending') return false;
    const deps = s.dependsOn ?? [];
    if (s.runPolicy === 'Always') return deps.every((d) => finished(phases.get(d)));
    return deps.every((d) => depOk(byName.get(d), phases.get(d)));
  }).map((s) => s.name);
}

/** Skip, repeatedly, until no more step is skipped (a skip skips the skipped step's dependents too). */
export function settleSkips(steps: readonly WorkflowStep[], phases: Map<string, StepPhase>): string[] {
  const out: string[] = [];
  for (;;) {
    const skip = stepsToSkip(steps, phases);
    if (skip.length === 0) return out;
    for (const n of skip) { phases.set(n, 'Skipped'); out.push(n); }
  }
}

/**
 * The workflow's phase: Pending before any step started, Running while any step is unfinished, then
 * Failed if a step failed without continueOnFailure, else Succeeded.
 */
export function workflowPhase(steps: readonly WorkflowStep[], phases: Phases): 'Pending' | 'Running' | 'Succeeded' | 'Failed' {
  const all = steps.map((s) => phases.get(s.name) ?? 'Pending');
  if (all.every((p) => p === 'Pending')) return 'Pending';
  if (!all.every(finished)) return 'Running';
  return steps.some((s) => phases.get(s.name) === 'Failed' && s.continueOnFailure !== true) ? 'Failed' : 'Succeeded';
}
