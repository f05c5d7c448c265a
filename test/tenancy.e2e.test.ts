/**
 * Namespaces as tenants through the real clients: a ResourceQuota refuses the pod beyond it with
 * Kubernetes' message, a restricted namespace refuses a root pod and admits a compliant one, warn
 * mode reaches kubectl as a Warning, and the admin's `lcctl run --privileged` in default still runs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';
import { Kubectl } from './harness/kubectl.js';

const auditDir = mkdtempSync(path.join(tmpdir(), 't3-audit-'));
const auditLog = path.join(auditDir, 'audit.log');
const server = new TestServer(['--audit-log-path', auditLog], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 't3-tenancy-');

// Pods that stay Pending (no node matches), so the test is about admission, not about running them.
const pendingPod = (name: string, ns: string, cpu: string): string => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { nodeSelector: { 't3-nowhere': 'true' }, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'], resources: { requests: { cpu, memory: '32Mi' } } }] },
});
const namespace = (name: string, labels: Record<string, string> = {}): string => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

describe('namespaces as tenants (kubectl and lcctl against lanternd)', () => {
  before(async () => {
    await server.start();
    await cli.importBusybox();
  });
  after(async () => { k.cleanup(); await server.stop(); rmSync(auditDir, { recursive: true, force: true }); });

  test("a namespace's ResourceQuota refuses the pod beyond it, naming the quota; get quota shows the use", async () => {
    await k.run(['apply', '-f', '-'], { input: namespace('team-a') }).then((r) => assert.equal(r.code, 0, r.stderr));
    const quota = JSON.stringify({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team-a-quota', namespace: 'team-a' }, spec: { hard: { 'requests.cpu': '4', pods: '10' } } });
    assert.equal((await k.run(['apply', '-f', '-'], { input: quota })).code, 0);
    for (const [name, cpu] of [['p1', '2'], ['p2', '1']] as const) {
      const r = await k.run(['apply', '-f', '-'], { input: pendingPod(name, 'team-a', cpu) });
      assert.equal(r.code, 0, r.stderr);
    }
    const over = await k.run(['apply', '-f', '-'], { input: pendingPod('p3', 'team-a', '2') });
    assert.notEqual(over.code, 0);
    assert.match(over.stderr, /pods "p3" is forbidden: exceeded quota: team-a-quota, requested: requests\.cpu=2, used: requests\.cpu=3, limited: requests\.cpu=4/);
    const table = await cli.ok(['get', 'resourcequotas', '-n', 'team-a']);
    assert.match(table, /team-a-quota\s.*pods: 2\/10, requests\.cpu: 3\/4/);
  });

  test('deleting the namespace goes through Terminating and takes its quota and pods with it', async () => {
    assert.equal((await k.run(['apply', '-f', '-'], { input: namespace('team-gone') })).code, 0);
    const quota = JSON.stringify({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'team-gone' }, spec: { hard: { pods: '1' } } });
    assert.equal((await k.run(['apply', '-f', '-'], { input: quota })).code, 0);
    assert.equal((await k.run(['apply', '-f', '-'], { input: pendingPod('p', 'team-gone', '100m') })).code, 0);
    assert.equal((await k.run(['delete', 'namespace', 'team-gone', '--wait=false'])).code, 0);
    await server.until('namespace team-gone removed', async () => (await k.run(['get', 'namespace', 'team-gone'])).code !== 0);
    assert.equal((await server.api('GET', '/api/v1/namespaces/team-gone/resourcequotas/q')).status, 404);
    assert.match(await k.ok(['get', 'namespaces', '--show-labels']), /^default\s+Active\s.*pod-security\.kubernetes\.io\/enforce=privileged/m, 'default is kept, labelled privileged');
  });

  test('a restricted namespace refuses a root pod and admits a compliant one; warn mode reaches kubectl as a Warning', async () => {
    assert.equal((await k.run(['apply', '-f', '-'], { input: namespace('team-r', { 'pod-security.kubernetes.io/enforce': 'restricted' }) })).code, 0);
    const root = await k.run(['run', 'root', '-n', 'team-r', '--image', 'busybox', '--restart', 'Never', '--', 'sleep', '60']);
    assert.notEqual(root.code, 0);
    assert.match(root.stderr, /pods "root" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "root" must set securityContext\.allowPrivilegeEscalation=false\)/);
    const compliant = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nonroot', namespace: 'team-r' },
      spec: {
        nodeSelector: { 't3-nowhere': 'true' },
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'c', image: 'busybox', command: ['sleep', '60'], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      },
    });
    const ok = await k.run(['apply', '-f', '-'], { input: compliant });
    assert.equal(ok.code, 0, ok.stderr);

    assert.equal((await k.run(['apply', '-f', '-'], { input: namespace('team-w', { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' }) })).code, 0);
    const warned = await k.run(['apply', '-f', '-'], { input: pendingPod('w', 'team-w', '100m') });
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    // audit mode: the create's audit event carries the violations.
    const event = await server.until('the audit event of the pod create', async () => readFileSync(auditLog, 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l) as { verb?: string; stage?: string; objectRef?: { name?: string; namespace?: string }; annotations?: Record<string, string> })
      .find((e) => e.stage === 'ResponseComplete' && e.objectRef?.namespace === 'team-w' && e.objectRef.name === 'w' && e.annotations?.['pod-security.kubernetes.io/audit-violations'] !== undefined));
    assert.match(event.annotations?.['pod-security.kubernetes.io/audit-violations'] ?? '', /^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    assert.equal(event.annotations?.['pod-security.kubernetes.io/enforce-policy'], 'baseline:latest');
  });

  test('a new namespace is baseline: a privileged pod is refused there, while `lcctl run --privileged` in default runs as Docker\'s', async () => {
    assert.equal((await k.run(['apply', '-f', '-'], { input: namespace('team-b') })).code, 0);
    const priv = await cli.run(['run', '--privileged', '-n', 'team-b', '--name', 'nope', 'busybox', 'true']);
    assert.notEqual(priv.code, 0, explain(server, priv));
    assert.match(priv.stderr, /violates PodSecurity "baseline:latest": privileged \(container "nope" must not set securityContext\.privileged=true\)/);
    assert.match(await cli.ok(['run', '--rm', '-n', 'team-b', 'busybox', 'echo', 'plain-ok']), /plain-ok/, 'an ordinary lcctl run passes baseline');
    const out = await cli.ok(['run', '--rm', '--privileged', 'busybox', 'sh', '-c', 'grep CapEff /proc/self/status']);
    const capEff = BigInt(`0x${/^CapEff:\s+([0-9a-f]+)/m.exec(out)?.[1] ?? '0'}`);
    assert.equal((capEff >> 21n) & 1n, 1n, `CAP_SYS_ADMIN, which only --privileged gives: ${out}`);
  });
});
