import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate as evaluateWith, parsePolicy, type AuditAttributes, type AuditPolicy, type AuditUserAttributes } from './policy.js';

const evaluate = (p: AuditPolicy, a: AuditAttributes & { user: AuditUserAttributes }): ReturnType<typeof evaluateWith> => evaluateWith(p, a, a.user);

type Attrs = AuditAttributes & { user: AuditUserAttributes };
const attrs = (over: Partial<Attrs>): Attrs => ({
  user: { username: 'admin', groups: ['system:masters', 'system:authenticated'] }, verb: 'get', isResourceRequest: true, path: '/api/v1/namespaces/default/pods/p',
  apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: 'p', ...over,
});

const policy = parsePolicy(`
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/version"]
  - level: RequestResponse
    resources: [{group: "", resources: ["pods/log", "*/status"]}]
  - level: Request
    resources: [{group: apps, resources: ["deployments/*"]}]
  - level: Metadata
    resources: [{group: "", resources: ["configmaps"], resourceNames: ["controller-leader"]}]
    omitStages: [ResponseStarted]
  - level: None
    namespaces: [""]
  - level: None
    users: ["system:node:edge-1"]
    verbs: ["get", "list"]
  - level: Request
    userGroups: ["system:nodes"]
  - level: Metadata
`);

describe('audit policy (audit.k8s.io/v1 Policy, first matching rule wins)', () => {
  test('non-resource URLs match exactly or by a trailing *; resource rules never match them', () => {
    assert.equal(evaluate(policy, attrs({ isResourceRequest: false, path: '/healthz/etcd', resource: '', name: '', namespace: '' })).level, 'None');
    assert.equal(evaluate(policy, attrs({ isResourceRequest: false, path: '/version' })).level, 'None');
    assert.equal(evaluate(policy, attrs({ isResourceRequest: false, path: '/metrics', resource: '', name: '', namespace: '' })).level, 'Metadata');
  });

  test('resources: resource/subresource, */subresource, resource/* and resourceNames', () => {
    assert.equal(evaluate(policy, attrs({ subresource: 'log' })).level, 'RequestResponse');
    assert.equal(evaluate(policy, attrs({ resource: 'nodes', subresource: 'status', namespace: 'x' })).level, 'RequestResponse');
    assert.equal(evaluate(policy, attrs({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })).level, 'Request');
    assert.equal(evaluate(policy, attrs({ resource: 'configmaps', name: 'controller-leader' })).level, 'Metadata');
    assert.equal(evaluate(policy, attrs({ resource: 'configmaps', name: 'other' })).level, 'Metadata', 'falls through to the last rule');
    assert.deepEqual(evaluate(policy, attrs({ resource: 'configmaps', name: 'controller-leader' })).omitStages, ['RequestReceived', 'ResponseStarted']);
  });

  test('namespaces [""] selects cluster-scoped objects; users, groups and verbs narrow a rule', () => {
    assert.equal(evaluate(policy, attrs({ resource: 'nodes', namespace: '', name: 'n1' })).level, 'None');
    const node = { username: 'system:node:edge-1', groups: ['system:nodes', 'system:authenticated'] };
    assert.equal(evaluate(policy, attrs({ user: node, verb: 'get' })).level, 'None');
    assert.equal(evaluate(policy, attrs({ user: node, verb: 'update' })).level, 'Request');
    assert.equal(evaluate(policy, attrs({ verb: 'update' })).level, 'Metadata');
  });

  test('a request no rule matches is not logged', () => {
    const empty = parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n');
    assert.equal(evaluate(empty, attrs({})).level, 'None');
  });

  test('mistakes name the field', () => {
    assert.throws(() => parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n  - level: Everything\n', 'p.yaml'), /p\.yaml: rules\[1\]\.level: must be one of None, Metadata, Request, RequestResponse/);
    assert.throws(() => parsePolicy('apiVersion: audit.k8s.io/v1beta2\nkind: Policy\n'), /apiVersion: must be audit\.k8s\.io\/v1/);
    assert.throws(() => parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    verb: [get]\n'), /rules\[0\]\.verb: unknown field/);
    assert.throws(() => parsePolicy('apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [Later]\n'), /omitStages: unknown stage "Later"/);
    assert.throws(() => parsePolicy('rules: [\n'), /not valid YAML/);
  });
});
