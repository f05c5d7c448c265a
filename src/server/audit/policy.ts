/**
 * kube-apiserver's audit Policy (audit.k8s.io/v1): rules checked in order, the first that matches
 * a request gives its level; a request no rule matches is not logged.
 */
import { parse } from 'yaml';

/** How much of a request is logged. */
export type Level = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
/** When, in a request's life, an event is written. */
export type Stage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export const levels: readonly Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
const stages: readonly Stage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** Resources of one API group ('' is the core group). */
export interface GroupResources { group: string; resources: string[]; resourceNames: string[] }

/** One rule; an empty list matches everything. */
export interface PolicyRule {
  level: Level;
  users: string[];
  userGroups: string[];
  verbs: string[];
  resources: GroupResources[];
  namespaces: string[];
  nonResourceURLs: string[];
  omitStages: Stage[];
}

/** A parsed policy. */
export interface AuditPolicy { rules: PolicyRule[]; omitStages: Stage[] }

/** Who made a request. */
export interface AuditUserAttributes { username: string; groups: string[] }

/** What a rule is matched against, besides the user. */
export interface AuditAttributes {
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** With no --audit-policy-file: every request at Metadata. */
export const metadataPolicy: AuditPolicy = {
  rules: [{ level: 'Metadata', users: [], userGroups: [], verbs: [], resources: [], namespaces: [], nonResourceURLs: [], omitStages: [] }],
  omitStages: [],
};

class PolicyError extends Error {}

function strings(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new PolicyError(`${field}: must be a list of strings`);
  return v as string[];
}

function stageList(v: unknown, field: string): Stage[] {
  const list = strings(v, field);
  for (const s of list) if (!stages.includes(s as Stage)) throw new PolicyError(`${field}: unknown stage "${s}" (one of ${stages.join(', ')})`);
  return list as Stage[];
}

function rule(v: unknown, at: string): PolicyRule {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new PolicyError(`${at}: must be a mapping`);
  const r = v as Record<string, unknown>;
  const known = ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'];
  for (const k of Object.keys(r)) if (!known.includes(k)) throw new PolicyError(`${at}.${k}: unknown field (known: ${known.join(', ')})`);
  if (typeof r.level !== 'string' || !levels.includes(r.level as Level)) throw new PolicyError(`${at}.level: must be one of ${levels.join(', ')}`);
  const resources = (r.resources === undefined || r.resources === null ? [] : r.resources) as unknown;
  if (!Array.isArray(resources)) throw new PolicyError(`${at}.resources: must be a list of {group, resources, resourceNames}`);
  const out: PolicyRule = {
    level: r.level as Level,
    users: strings(r.users, `${at}.users`),
    userGroups: strings(r.userGroups, `${at}.userGroups`),
    verbs: strings(r.verbs, `${at}.verbs`),
    namespaces: strings(r.namespaces, `${at}.namespaces`),
    nonResourceURLs: strings(r.nonResourceURLs, `${at}.nonResourceURLs`),
    omitStages: stageList(r.omitStages, `${at}.omitStages`),
    resources: resources.map((g: unknown, i) => {
      if (typeof g !== 'object' || g === null) throw new PolicyError(`${at}.resources[${i}]: must be a mapping`);
      const gr = g as Record<string, unknown>;
      if (gr.group !== undefined && typeof gr.group !== 'string') throw new PolicyError(`${at}.resources[${i}].group: must be a string`);
      return { group: (gr.group as string | undefined) ?? '', resources: strings(gr.resources, `${at}.resources[${i}].resources`), resourceNames: strings(gr.resourceNames, `${at}.resources[${i}].resourceNames`) };
    }),
  };
  if ((out.resources.length > 0 || out.namespaces.length > 0) && out.nonResourceURLs.length > 0) {
    throw new PolicyError(`${at}: a rule selects resources/namespaces or nonResourceURLs, not both`);
  }
  return out;
}

/** Parse a Policy document (YAML or JSON); the error names the field that is wrong. */
export function parsePolicy(text: string, source = 'audit policy'): AuditPolicy {
  try {
    const doc = parse(text) as unknown;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new PolicyError('must be a Policy object');
    const p = doc as Record<string, unknown>;
    if (p.apiVersion !== 'audit.k8s.io/v1') throw new PolicyError(`apiVersion: must be audit.k8s.io/v1, got ${JSON.stringify(p.apiVersion)}`);
    if (p.kind !== 'Policy') throw new PolicyError(`kind: must be Policy, got ${JSON.stringify(p.kind)}`);
    if (p.rules !== undefined && !Array.isArray(p.rules)) throw new PolicyError('rules: must be a list');
    return { rules: ((p.rules ?? []) as unknown[]).map((r, i) => rule(r, `rules[${i}]`)), omitStages: stageList(p.omitStages, 'omitStages') };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`${source}: ${e instanceof PolicyError ? why : `not valid YAML: ${why}`}`);
  }
}

const pathMatches = (path: string, spec: string): boolean =>
  spec === '*' || spec === path || (spec.endsWith('*') && path.startsWith(spec.slice(0, -1)));

function matchesResource(r: PolicyRule, a: AuditAttributes): boolean {
  if (!a.isResourceRequest) return false;
  if (r.namespaces.length > 0 && !r.namespaces.includes(a.namespace)) return false;
  if (r.resources.length === 0) return true;
  const combined = a.subresource === '' ? a.resource : `${a.resource}/${a.subresource}`;
  return r.resources.some((gr) => gr.group === a.apiGroup && (gr.resources.length === 0 || gr.resources.some((res) =>
    (gr.resourceNames.length === 0 || gr.resourceNames.includes(a.name))
    && (res === '*' || res === combined
      || (a.subresource !== '' && res.startsWith('*/') && res.slice(2) === a.subresource)
      || (res.endsWith('/*') && res.slice(0, -2) === a.resource)))));
}

/** kube-apiserver's rule matching (policy/checker.go). */
export function ruleMatches(r: PolicyRule, a: AuditAttributes, user: AuditUserAttributes): boolean {
  if (r.users.length > 0 && !r.users.includes(user.username)) return false;
  if (r.userGroups.length > 0 && !user.groups.some((g) => r.userGroups.includes(g))) return false;
  if (r.verbs.length > 0 && !r.verbs.includes(a.verb)) return false;
  if (r.namespaces.length > 0 || r.resources.length > 0) return matchesResource(r, a);
  if (r.nonResourceURLs.length > 0) return !a.isResourceRequest && r.nonResourceURLs.some((spec) => pathMatches(a.path, spec));
  return true;
}

/** The level and omitted stages for a request: the first matching rule's, None when none matches. */
export function evaluate(policy: AuditPolicy, a: AuditAttributes, user: AuditUserAttributes): { level: Level; omitStages: readonly Stage[] } {
  const r = policy.rules.find((rule) => ruleMatches(rule, a, user));
  if (!r) return { level: 'None', omitStages: policy.omitStages };
  const omitStages = r.omitStages.length === 0 ? policy.omitStages : policy.omitStages.length === 0 ? r.omitStages : [...policy.omitStages, ...r.omitStages];
  return { level: r.level, omitStages };
}
