/**
 * Kubernetes' scaling behavior (horizontal.go: stabilizeRecommendationWithBehaviors,
 * convertDesiredReplicasWithBehaviorRate) as pure functions over the history the controller keeps.
 */
import type { HPAScalingRules } from '../../api/schema/hpa.js';

/** One unstabilized recommendation and when it was made (ms). */
export interface Recommendation { at: number; replicas: number }
/** One rescale in one direction: how many pods it added or removed, and when (ms). */
export interface ScaleEvent { at: number; change: number }

/** What the controller remembers of one autoscaler between syncs. */
export interface ScaleHistory { recommendations: Recommendation[]; up: ScaleEvent[]; down: ScaleEvent[] }

/** Both directions' rules with every field set. */
export interface Behavior { scaleUp: Required<HPAScalingRules>; scaleDown: Required<HPAScalingRules> }

/** A decision with the condition reason and message that explain it. */
export interface Limited { replicas: number; reason: string; message: string }

/**
 * The stabilized recommendation: no higher than the lowest of the scale-up window and no lower than
 * the highest of the scale-down window (both including `desired`), starting from `current`.
 * Records `desired` in the history and forgets what is older than both windows.
 */
export function stabilize(history: ScaleHistory, b: Behavior, current: number, desired: number, now: number): Limited {
  const upCutoff = now - b.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - b.scaleDown.stabilizationWindowSeconds * 1000;
  const obsolete = Math.min(upCutoff, downCutoff);
  let up = desired;
  let down = desired;
  for (const r of history.recommendations) {
    if (r.at > upCutoff) up = Math.min(up, r.replicas);
    if (r.at > downCutoff) down = Math.max(down, r.replicas);
  }
  let replicas = current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  history.recommendations = history.recommendations.filter((r) => r.at >= obsolete);
  history.recommendations.push({ at: now, replicas: desired });
  return desired >= current
    ? { replicas, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

const changeWithin = (periodSeconds: number, events: ScaleEvent[], now: number): number =>
  events.filter((e) => e.at > now - periodSeconds * 1000).reduce((s, e) => s + e.change, 0);

/** The most replicas the scale-up policies allow now (current when Disabled). */
export function scaleUpLimit(current: number, history: ScaleHistory, rules: Required<HPAScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const start = current - changeWithin(p.periodSeconds, history.up, now) + changeWithin(p.periodSeconds, history.down, now);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

/** The fewest replicas the scale-down policies allow now (current when Disabled). */
export function scaleDownLimit(current: number, history: ScaleHistory, rules: Required<HPAScalingRules>, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // Scaling down, the smallest change ('Min') is the highest count.
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const start = current - changeWithin(p.periodSeconds, history.up, now) + changeWithin(p.periodSeconds, history.down, now);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

/** Apply the rate policies and minReplicas/maxReplicas to a stabilized recommendation. */
export function limitRate(history: ScaleHistory, b: Behavior, min: number, max: number, current: number, desired: number, now: number): Limited {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, history, b.scaleUp, now));
    const byRate = max > limit;
    const allowed = byRate ? limit : max;
    if (desired > allowed) {
      return byRate
        ? { replicas: allowed, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { replicas: allowed, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    }
  } else if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, history, b.scaleDown, now));
    const byRate = min < limit;
    const allowed = byRate ? limit : min;
    if (desired < allowed) {
      return byRate
        ? { replicas: allowed, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { replicas: allowed, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    }
  }
  return { replicas: desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
}

/** Remember a rescale, forgetting events older than the longest policy period of its direction. */
export function recordScale(history: ScaleHistory, b: Behavior, from: number, to: number, now: number): void {
  if (to === from) return;
  const up = to > from;
  const rules = up ? b.scaleUp : b.scaleDown;
  const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
  const kept = (up ? history.up : history.down).filter((e) => e.at > now - longest);
  kept.push({ at: now, change: Math.abs(to - from) });
  if (up) history.up = kept; else history.down = kept;
}
