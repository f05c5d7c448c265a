/**
 * lcctl auth can-i VERB RESOURCE[/NAME] [-n NS] [-A] [--subresource S] [--as USER] [--as-group G] [--list] [-q]:
 * asks the server through a SelfSubjectAccessReview (or SelfSubjectRulesReview for --list), as
 * kubectl auth can-i; --as sends Impersonate-User (the admin may). Exit 0 for yes, 1 for no.
 */
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { resolveKind } from '../../api/kinds/names.js';
import { parseAnswer, readAll } from '../../client/http-client.js';
import { kubeStyle, renderTable } from '../output/table.js';

interface AccessStatus { allowed?: boolean; reason?: string; evaluationError?: string }
interface RulesStatus {
  resourceRules?: { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules?: { verbs: string[]; nonResourceURLs?: string[] }[];
}

/** The Impersonate-* headers of --as and --as-group. */
export function impersonationHeaders(p: Parsed): Record<string, string> {
  const as = p.str('as') ?? '';
  const groups = p.list('as-group');
  if (as === '' && groups.length > 0) throw new UsageError('--as-group needs --as: name the user to act as');
  return as === '' ? {} : { 'impersonate-user': as, ...(groups.length > 0 ? { 'impersonate-group': groups.join(',') } : {}) };
}

/** The resource attributes of `VERB TYPE[/NAME]` in NAMESPACE (a cluster-scoped kind asks at the cluster scope). */
export function resourceAttributes(verb: string, target: string, namespace: string, subresource: string): Record<string, string> {
  const [type, name = ''] = target.split('/', 2) as [string, string?];
  if (type === '*') return { verb, group: '*', resource: '*', namespace, ...(name ? { name } : {}) };
  const dot = type.indexOf('.');
  const kind = resolveKind(type) ?? (dot > 0 ? resolveKind(type.slice(0, dot)) : undefined);
  const group = kind?.group ?? (dot > 0 ? type.slice(dot + 1) : '');
  const resource = kind?.resource ?? (dot > 0 ? type.slice(0, dot) : type);
  if (kind === undefined) process.stderr.write(`Warning: the server doesn't have a resource type '${type}'\n`);
  return { verb, group, resource, namespace: kind !== undefined && !kind.namespaced ? '' : namespace, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
}

async function post<T>(p: Parsed, path: string, body: unknown): Promise<T> {
  const res = await connect(p).raw('POST', path, JSON.stringify(body), { 'content-type': 'application/json', ...impersonationHeaders(p) });
  return parseAnswer<T>(res.status, await readAll(res.body));
}

async function listRules(p: Parsed, namespace: string): Promise<number> {
  const review = await post<{ status?: RulesStatus }>(p, '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } });
  const rows: string[][] = [];
  for (const r of review.status?.resourceRules ?? []) {
    for (const res of r.resources ?? []) {
      const groups = (r.apiGroups ?? ['']).map((g) => (g === '' ? res : `${res}.${g}`));
      for (const g of groups) rows.push([g, '[]', `[${(r.resourceNames ?? []).join(' ')}]`, `[${r.verbs.join(' ')}]`]);
    }
  }
  for (const r of review.status?.nonResourceRules ?? []) rows.push(['', `[${(r.nonResourceURLs ?? []).join(' ')}]`, '[]', `[${r.verbs.join(' ')}]`]);
  process.stdout.write(renderTable(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'], rows, kubeStyle));
  return 0;
}

/** Answer yes or no; resolves with kubectl's exit status (0 yes, 1 no). */
export async function canI(p: Parsed): Promise<number> {
  const namespace = p.bool('all-namespaces') ? '' : p.str('namespace') || 'default';
  if (p.bool('list')) return listRules(p, namespace);
  const [, verb, target] = p.args;
  if (verb === undefined || target === undefined) throw new UsageError('usage: lcctl auth can-i VERB RESOURCE[/NAME] (or VERB /PATH, or --list)');
  const spec = target.startsWith('/')
    ? { nonResourceAttributes: { verb, path: target } }
    : { resourceAttributes: resourceAttributes(verb, target, namespace, p.str('subresource') ?? '') };
  const review = await post<{ status?: AccessStatus }>(p, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });
  const allowed = review.status?.allowed === true;
  if (!p.bool('quiet')) process.stdout.write(allowed ? 'yes\n' : `no${review.status?.reason ? ` - ${review.status.reason}` : ''}\n`);
  return allowed ? 0 : 1;
}
