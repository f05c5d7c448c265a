import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { kindModules, kinds } from './index.js';
import { kindRules } from './rules.js';
import { kindListText, resolveKind, unknownKindMessage } from './names.js';

test('every name lcctl has accepted resolves to its kind; kubectl prints objects as kind.group', () => {
  const cases: [string[], string, string][] = [
    [['pods', 'pod', 'po', 'Pod', 'PODS'], 'pods', 'pod'],
    [['nodes', 'node', 'no'], 'nodes', 'node'],
    [['events', 'event', 'ev'], 'events', 'event'],
    [['priorityclasses', 'priorityclass', 'pc', 'priorityclasses.scheduling.k8s.io'], 'priorityclasses', 'priorityclass.scheduling.k8s.io'],
    [['podgroups', 'podgroup', 'pg', 'PodGroup'], 'podgroups', 'podgroup.lantern.dev'],
    [['configmaps', 'configmap', 'cm'], 'configmaps', 'configmap'],
    [['secrets', 'secret'], 'secrets', 'secret'],
    [['deployments', 'deployment', 'deploy', 'deployment.apps', 'deployments.apps'], 'deployments', 'deployment.apps'],
    [['jobs', 'job', 'job.batch', 'jobs.batch'], 'jobs', 'job.batch'],
    [['cronjobs', 'cronjob', 'cj', 'cronjobs.batch'], 'cronjobs', 'cronjob.batch'],
    [['replicasets', 'replicaset', 'rs', 'replicaset.apps', 'replicasets.apps'], 'replicasets', 'replicaset.apps'],
    [['statefulsets', 'statefulset', 'sts', 'statefulsets.apps'], 'statefulsets', 'statefulset.apps'],
    [['daemonsets', 'daemonset', 'ds', 'daemonsets.apps'], 'daemonsets', 'daemonset.apps'],
    [['controllerrevisions', 'controllerrevision', 'controllerrevisions.apps'], 'controllerrevisions', 'controllerrevision.apps'],
    [['queues', 'queue', 'q', 'queue.lantern.dev', 'queues.lantern.dev'], 'queues', 'queue.lantern.dev'],
    [['horizontalpodautoscalers', 'horizontalpodautoscaler', 'hpa', 'horizontalpodautoscaler.autoscaling', 'horizontalpodautoscalers.autoscaling'], 'horizontalpodautoscalers', 'horizontalpodautoscaler.autoscaling'],
    [['workflows', 'workflow', 'wf', 'workflow.lantern.dev', 'workflows.lantern.dev'], 'workflows', 'workflow.lantern.dev'],
    [['networks', 'network', 'net', 'network.lantern.dev', 'networks.lantern.dev'], 'networks', 'network.lantern.dev'],
    [['services', 'service', 'svc', 'Service'], 'services', 'service'],
    [['endpointslices', 'endpointslice', 'endpointslice.discovery.k8s.io', 'endpointslices.discovery.k8s.io'], 'endpointslices', 'endpointslice.discovery.k8s.io'],
    [['networkpolicies', 'networkpolicy', 'netpol', 'NetworkPolicy', 'networkpolicies.networking.k8s.io'], 'networkpolicies', 'networkpolicy.networking.k8s.io'],
    [['persistentvolumes', 'persistentvolume', 'pv', 'PersistentVolume'], 'persistentvolumes', 'persistentvolume'],
    [['persistentvolumeclaims', 'persistentvolumeclaim', 'pvc'], 'persistentvolumeclaims', 'persistentvolumeclaim'],
    [['storageclasses', 'storageclass', 'sc', 'storageclasses.storage.k8s.io'], 'storageclasses', 'storageclass.storage.k8s.io'],
    [['namespaces', 'namespace', 'ns', 'Namespace'], 'namespaces', 'namespace'],
    [['leases', 'lease', 'Lease', 'leases.coordination.k8s.io'], 'leases', 'lease.coordination.k8s.io'],
    [['serviceaccounts', 'serviceaccount', 'sa', 'ServiceAccount'], 'serviceaccounts', 'serviceaccount'],
    [['roles', 'role', 'Role', 'roles.rbac.authorization.k8s.io'], 'roles', 'role.rbac.authorization.k8s.io'],
    [['clusterroles', 'clusterrole', 'ClusterRole'], 'clusterroles', 'clusterrole.rbac.authorization.k8s.io'],
    [['rolebindings', 'rolebinding', 'RoleBinding'], 'rolebindings', 'rolebinding.rbac.authorization.k8s.io'],
    [['clusterrolebindings', 'clusterrolebinding', 'ClusterRoleBinding'], 'clusterrolebindings', 'clusterrolebinding.rbac.authorization.k8s.io'],
    [['resourcequotas', 'resourcequota', 'quota', 'ResourceQuota'], 'resourcequotas', 'resourcequota'],
    [['limitranges', 'limitrange', 'limits', 'LimitRange'], 'limitranges', 'limitrange'],
    [['clusterimagepolicies', 'clusterimagepolicy', 'cip', 'ClusterImagePolicy', 'clusterimagepolicies.policy.lantern.dev'], 'clusterimagepolicies', 'clusterimagepolicy.policy.lantern.dev'],
    [['runtimeclasses', 'runtimeclass', 'RuntimeClass', 'runtimeclasses.node.k8s.io'], 'runtimeclasses', 'runtimeclass.node.k8s.io'],
  ];
  for (const [names, resource, qualified] of cases) {
    for (const n of names) assert.equal(resolveKind(n)?.resource, resource, n);
    assert.equal(kinds.get(resource)?.qualifiedName, qualified);
  }
  assert.equal(cases.length, kindModules.length, 'a case for every kind');
  for (const n of ['widgets', 'po.apps', 'deployments.batch', '']) assert.equal(resolveKind(n), undefined, n);
});

test('the unknown-kind message lists every kind with its short name', () => {
  assert.equal(unknownKindMessage('widgets'), 'the server doesn\'t have a resource type "widgets" (Lantern serves pods (po), nodes (no), events (ev), priorityclasses (pc), podgroups (pg), configmaps (cm), secrets, deployments (deploy), replicasets (rs), statefulsets (sts), daemonsets (ds), controllerrevisions, jobs, cronjobs (cj), queues (q), workflows (wf), horizontalpodautoscalers (hpa), networks (net), services (svc), endpointslices, networkpolicies (netpol), persistentvolumes (pv), persistentvolumeclaims (pvc), storageclasses (sc), namespaces (ns), leases, serviceaccounts (sa), roles, clusterroles, rolebindings, clusterrolebindings, runtimeclasses, clusterimagepolicies (cip), resourcequotas (quota) and limitranges (limits))');
  assert.equal(kindListText([kinds.get('pods')!]), 'pods (po)');
});

test('every kind has its rules, table and describe view where it declares them', async () => {
  for (const k of kindModules) {
    assert.equal(kindRules.get(k.resource)?.kind, k.kind, k.resource);
    assert.equal(kindRules.get(k.resource)?.apiVersion, k.apiVersion);
    if (k.table) assert.ok((await k.table()).columns.length > 0, k.resource);
    if (k.describe) assert.ok((await k.describe()).sections.length > 0, k.resource);
  }
  assert.deepEqual(kindModules.filter((k) => k.describe).map((k) => k.resource), ['pods', 'nodes', 'deployments', 'statefulsets', 'daemonsets', 'jobs', 'cronjobs', 'queues', 'horizontalpodautoscalers', 'services', 'networkpolicies', 'persistentvolumes', 'persistentvolumeclaims']);
});

/** The modules this file imports statically, and the packages they import, transitively. */
function staticImports(file: string, seen = new Set<string>(), packages = new Set<string>()): { files: Set<string>; packages: Set<string> } {
  if (seen.has(file)) return { files: seen, packages };
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"];?$|^\s*import\s+['"]([^'"]+)['"];?$/gm)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) staticImports(resolve(dirname(file), spec), seen, packages); else packages.add(spec);
  }
  return { files: seen, packages };
}

test('the kind list loads no schema and no printer: lcctl, the agent and the client load it at start', () => {
  const { files, packages } = staticImports(fileURLToPath(new URL('./index.js', import.meta.url)));
  assert.deepEqual([...packages], [], 'no package (TypeBox costs ~100 ms of CPU at start)');
  const loaded = [...files].map((f) => f.slice(f.indexOf('/api/') + 1));
  assert.ok(!loaded.some((f) => f.includes('/schema/') || f.includes('/printers/') || f.endsWith('validate.js')), loaded.join('\n'));
});
