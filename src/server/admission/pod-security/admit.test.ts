import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApi, type TestApi } from '../../../testing/api.js';
import { ApiError } from '../../../api/errors.js';
import type { Pod, PodSpec } from '../../../api/schema/pod.js';
import type { Namespace } from '../../../api/schema/namespace.js';
import { ensureSystemNamespaces } from '../../namespace-lifecycle.js';
import { withAdmissionNotes } from '../context.js';

const pod = (name: string, ns: string, spec: Partial<PodSpec> = {}, container: Partial<PodSpec['containers'][number]> = {}): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec },
});
const compliant = (name: string, ns: string): Pod => pod(name, ns, { securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } } },
  { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } });
const namespace = (name: string, labels?: Record<string, string>): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });
const notesOf = async (fn: () => Promise<unknown>): Promise<{ warnings: string[]; annotations: Record<string, string> }> => {
  const warnings: string[] = []; const annotations: Record<string, string> = {};
  await withAdmissionNotes({ warn: (w) => warnings.push(w), annotate: (k, v) => { annotations[k] = v; } }, fn);
  return { warnings, annotations };
};

describe('Pod Security admission', () => {
  let t: TestApi;
  before(async () => {
    t = await openTestApi({ prefix: 't3-psa-', namespaceLifecycle: true, tenancy: { podSecurity: { enforce: 'baseline' } } });
    await ensureSystemNamespaces(t.api);
  });
  after(async () => { await t.close(); });

  test('default and lantern-system are labelled enforce=privileged: a privileged host-network pod is admitted there', async () => {
    const ns = await t.api.get<Namespace>('namespaces', 'default');
    assert.equal(ns.metadata.labels?.['pod-security.kubernetes.io/enforce'], 'privileged');
    await t.api.create('pods', pod('admin', 'default', { hostNetwork: true, volumes: [{ name: 'host', hostPath: { path: '/' } }] }, { securityContext: { privileged: true } }));
  });

  test("a namespace without labels gets baseline: privileged is refused with Kubernetes' message", async () => {
    await t.api.create('namespaces', namespace('team-b'));
    await assert.rejects(t.api.create('pods', pod('priv', 'team-b', {}, { securityContext: { privileged: true } })), (e: unknown) => {
      assert.ok(e instanceof ApiError && e.code === 'Forbidden');
      assert.equal(e.message, 'pods "priv" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)');
      return true;
    });
    await t.api.create('pods', pod('plain', 'team-b'));
  });

  test('restricted refuses a root pod and admits a compliant one', async () => {
    await t.api.create('namespaces', namespace('team-r', { 'pod-security.kubernetes.io/enforce': 'restricted' }));
    await assert.rejects(t.api.create('pods', pod('root', 'team-r')), /violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false .*runAsNonRoot != true/);
    await t.api.create('pods', compliant('ok', 'team-r'));
  });

  test('warn answers a warning and admits; audit annotates', async () => {
    await t.api.create('namespaces', namespace('team-w', { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' }));
    const { warnings, annotations } = await notesOf(() => t.api.create('pods', pod('w', 'team-w')));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    assert.match(annotations['pod-security.kubernetes.io/audit-violations'] ?? '', /^would violate PodSecurity "restricted:latest"/);
    assert.equal(annotations['pod-security.kubernetes.io/enforce-policy'], 'baseline:latest');
    await t.api.get('pods', 'w', 'team-w');
  });

  test('a Deployment whose template would be refused is admitted with a warning; its pods are refused when made', async () => {
    await t.api.create('namespaces', namespace('team-d'));
    const { warnings } = await notesOf(() => t.api.create('deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'team-d' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'busybox' }] } } },
    }));
    assert.deepEqual(warnings, ['would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)']);
  });

  test('tightening a namespace warns about the pods already there that the new level refuses', async () => {
    await t.api.create('namespaces', namespace('team-t'));
    await t.api.create('pods', pod('root', 'team-t'));
    const ns = await t.api.get<Namespace>('namespaces', 'team-t');
    const { warnings } = await notesOf(() => t.api.update('namespaces', { ...ns, metadata: { ...ns.metadata, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }));
    assert.deepEqual(warnings, ['existing pods in namespace "team-t" violate the new PodSecurity enforce level "restricted:latest"',
      'root: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile']);
    await t.api.get('pods', 'root', 'team-t'); // it keeps running
  });

  test('a namespace label with an unknown level is warned about and read as restricted', async () => {
    const { warnings } = await notesOf(() => t.api.create('namespaces', namespace('team-typo', { 'pod-security.kubernetes.io/enforce': 'privilegd' })));
    assert.match(warnings[0] ?? '', /unknown level "privilegd"/);
    await assert.rejects(t.api.create('pods', pod('p', 'team-typo')), /violates PodSecurity "restricted:latest"/);
  });
});
