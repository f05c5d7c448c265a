/**
 * Pod Security's host fields for real (issue 17, W3): hostPID refused in a baseline namespace with
 * Kubernetes' message, honoured in a privileged one (the pod's ps sees the host's processes), a safe
 * sysctl applied inside the pod, and `lcctl run` printing a warn-mode namespace's Warning on stderr.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TestServer } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';
import { Kubectl } from './harness/kubectl.js';

const server = new TestServer([], { https: true });
const cli = new Cli(server);
const k = new Kubectl(server, 'w3-hostsec-');

const namespace = (name: string, labels: Record<string, string> = {}): string => JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const pod = (name: string, ns: string, script: string, spec: Record<string, unknown> = {}): string => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns },
  spec: { restartPolicy: 'Never', ...spec, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'Never', command: ['sh', '-c', script] }] },
});

async function logsOf(name: string, ns: string, want: RegExp): Promise<string> {
  return server.until(`logs of ${ns}/${name} matching ${want}`, async () => {
    const r = await k.run(['logs', name, '-n', ns]);
    return r.code === 0 && want.test(r.stdout) ? r.stdout : undefined;
  });
}

describe('Pod Security host fields, honoured by the node (kubectl and lcctl against lanternd)', () => {
  before(async () => {
    await server.start();
    await cli.importBusybox();
  });
  after(async () => { k.cleanup(); await server.stop(); });

  test('hostPID: refused in a baseline namespace with Kubernetes\' message; in a privileged one ps sees host processes', async () => {
    assert.equal((await k.run(['apply', '-f', '-'], { input: namespace('w3-base') })).code, 0);
    const refused = await k.run(['apply', '-f', '-'], { input: pod('hp', 'w3-base', 'ps', { hostPID: true }) });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /pods "hp" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostPID=true\)/);

    assert.equal((await k.run(['apply', '-f', '-'], { input: namespace('w3-priv', { 'pod-security.kubernetes.io/enforce': 'privileged' }) })).code, 0);
    const ok = await k.run(['apply', '-f', '-'], { input: pod('hp', 'w3-priv', 'echo init=$(cat /proc/1/comm); ps -o pid', { hostPID: true }) });
    assert.equal(ok.code, 0, ok.stderr);
    const out = await logsOf('hp', 'w3-priv', /init=/);
    const hostInit = readFileSync('/proc/1/comm', 'utf8').trim();
    assert.match(out, new RegExp(`^init=${hostInit}$`, 'm'), 'PID 1 in the pod is the host\'s init');
    assert.match(out, new RegExp(`^\\s*${process.pid}\\s*$`, 'm'), 'the test runner (a host process) is in the pod\'s ps');
  });

  test('a safe sysctl is applied inside the pod; a node-wide one is refused naming the field', async () => {
    const spec = { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '40000 40100' }] } };
    const ok = await k.run(['apply', '-f', '-'], { input: pod('sysctl', 'default', 'echo range=$(cat /proc/sys/net/ipv4/ip_local_port_range)', spec) });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(await logsOf('sysctl', 'default', /range=/), /^range=40000 40100$/m);
    const bad = await k.run(['apply', '-f', '-'], { input: pod('sysctl-bad', 'default', 'true', { securityContext: { sysctls: [{ name: 'kernel.panic', value: '1' }] } }) });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec\.securityContext\.sysctls\[0\]\.name: .*sysctl kernel\.panic is not namespaced/);
  });

  test('lcctl run prints the Warning of a warn-mode namespace on stderr, as kubectl', async () => {
    assert.equal((await k.run(['apply', '-f', '-'], { input: namespace('w3-warn', { 'pod-security.kubernetes.io/warn': 'restricted' }) })).code, 0);
    const r = await cli.run(['run', '--rm', '-n', 'w3-warn', 'busybox', 'echo', 'warned-ok']);
    assert.equal(r.code, 0, explain(server, r));
    assert.match(r.stdout, /warned-ok/);
    assert.match(r.stderr, /^Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/m);
    assert.equal(r.stderr.match(/Warning: would violate/g)?.length, 1, 'printed once');
  });
});
