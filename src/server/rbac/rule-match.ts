/** Whether one PolicyRule grants a request: Kubernetes' RuleAllows (plugin/pkg/auth/authorizer/rbac). */
import type { PolicyRule } from '../../api/schema/rbac.js';
import { combinedResource, type Attributes } from './attributes.js';

const has = (list: readonly string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

/** A rule resource matches "pods", "pods/exec", "*", a star before "/scale" (any resource's scale) or "pods/*" (any subresource of pods). */
function resourceMatches(rule: PolicyRule, at: Attributes): boolean {
  const combined = combinedResource(at);
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (at.subresource === '') continue;
    if (r === `*/${at.subresource}`) return true;
    if (r === `${at.resource}/*`) return true;
  }
  return false;
}

/** An empty resourceNames matches every name; a named one never matches a request without a name (a list). */
const namesMatch = (rule: PolicyRule, at: Attributes): boolean =>
  (rule.resourceNames ?? []).length === 0 || (at.name !== '' && rule.resourceNames!.includes(at.name));

/** "/healthz" matches itself; "/api/*" matches every path under /api/ (and "*" every path). */
function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** Whether RULE grants the request AT. */
export function ruleAllows(rule: PolicyRule, at: Attributes): boolean {
  if (!has(rule.verbs, at.verb)) return false;
  if (!at.resourceRequest) return urlMatches(rule, at.path);
  return has(rule.apiGroups, at.apiGroup) && resourceMatches(rule, at) && namesMatch(rule, at);
}
