import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { NetworkPolicy } from '../../api/schema/network-policy.js';
import { compilePolicies, type PolicyPod } from './compile.js';

const pod = (ns: string, name: string, ip: string, labels: Record<string, string>, local = true, namedPorts: PolicyPod['namedPorts'] = []): PolicyPod =>
  ({ namespace: ns, name, ip, labels, local, namedPorts });
const policy = (ns: string, spec: NetworkPolicy['spec']): NetworkPolicy =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: ns }, spec });

const web = pod('prod', 'web', '10.42.0.10', { app: 'web' }, true, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
const client = pod('prod', 'client', '10.42.0.11', { role: 'client' });
const other = pod('prod', 'other', '10.42.1.12', { role: 'other' }, false);
const devClient = pod('dev', 'client', '10.42.1.13', { role: 'client' }, false);
const pods = [web, client, other, devClient];

/** The rules of the chain that the vmap sends the pod's traffic to, for one direction. */
function chainOf(script: string, dir: 'in' | 'out', ip: string): string[] | undefined {
  const m = new RegExp(`${ip.replace(/\./g, '\\.')} : jump (${dir}-\\d+)`).exec(script);
  if (!m) return undefined;
  const body = new RegExp(`chain ${m[1]} \\{\\n([^}]*(?:\\{[^}]*\\}[^}]*)*)\\n  \\}`).exec(script);
  return body?.[1]?.split('\n').map((l) => l.trim()).filter((l) => !l.startsWith('comment'));
}

/** nft itself checks the script (-c: parse and validate in the kernel, change nothing). */
function nftAccepts(script: string): void {
  const r = spawnSync('nft', ['-c', '-f', '-'], { input: script, encoding: 'utf8' });
  assert.equal(r.status, 0, `nft -c refused the script: ${r.stderr}\n${script}`);
}

const compile = (policies: NetworkPolicy[], list = pods): string => {
  const s = compilePolicies({ table: 'n5test', policies, pods: list });
  nftAccepts(s);
  return s;
};

describe('compilePolicies: Kubernetes NetworkPolicy semantics', () => {
  test('no policy: no pod gets a chain, everything stays open', () => {
    const s = compile([]);
    assert.doesNotMatch(s, /vmap/);
    assert.match(s, /policy accept;/);
  });

  test('default deny ingress ({} selector, no rules): every local pod of the namespace drops new connections in; egress untouched', () => {
    const s = compile([policy('prod', { podSelector: {}, policyTypes: ['Ingress'] })]);
    assert.deepEqual(chainOf(s, 'in', web.ip), ['counter drop']);
    assert.deepEqual(chainOf(s, 'in', client.ip), ['counter drop']);
    assert.equal(chainOf(s, 'out', web.ip), undefined);
    assert.equal(chainOf(s, 'in', other.ip), undefined, 'a pod of another node is enforced there, not here');
    assert.match(s, /ct state established,related accept/, 'replies of allowed connections pass');
  });

  test('allow from pods with a label: only those pods of the policy\'s namespace, on the given port', () => {
    const s = compile([policy('prod', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 80 }] }] })]);
    assert.deepEqual(chainOf(s, 'in', web.ip), ['ip saddr { 10.42.0.11 } meta l4proto tcp th dport 80 return', 'counter drop']);
    assert.equal(chainOf(s, 'in', client.ip), undefined, 'pods not selected by any policy stay open');
  });

  test('namespaceSelector: pods of namespaces whose kubernetes.io/metadata.name label matches; with podSelector both must match', () => {
    const s = compile([policy('prod', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } },
      { namespaceSelector: {}, podSelector: { matchLabels: { role: 'other' } } },
    ] }] })]);
    assert.deepEqual(chainOf(s, 'in', web.ip), ['ip saddr { 10.42.1.13 } return', 'ip saddr { 10.42.1.12 } return', 'counter drop']);
  });

  test('ipBlock with except; a peer that selects nothing allows nothing', () => {
    const s = compile([policy('prod', { podSelector: { matchLabels: { app: 'web' } }, ingress: [
      { from: [{ ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.5.0/24'] } }] },
      { from: [{ podSelector: { matchLabels: { role: 'nobody' } } }] },
    ] })]);
    assert.deepEqual(chainOf(s, 'in', web.ip), ['ip saddr { 192.168.0.0/16 } ip saddr != { 192.168.5.0/24 } return', 'counter drop']);
  });

  test('a named port resolves to the selected pod\'s container port; endPort makes a range; an empty rule allows all', () => {
    const s = compile([policy('prod', { podSelector: { matchLabels: { app: 'web' } }, ingress: [
      { ports: [{ port: 'http', protocol: 'TCP' }, { port: 'nope', protocol: 'TCP' }, { port: 9000, endPort: 9010, protocol: 'UDP' }] },
    ] })]);
    assert.deepEqual(chainOf(s, 'in', web.ip), ['meta l4proto tcp th dport 8080 return', 'meta l4proto udp th dport 9000-9010 return', 'counter drop']);
    const all = compile([policy('prod', { podSelector: {}, ingress: [{}] })]);
    assert.deepEqual(chainOf(all, 'in', web.ip), ['return', 'counter drop']);
  });

  test('egress deny, and egress allowed to one pod and to DNS anywhere', () => {
    const deny = compile([policy('prod', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] })]);
    assert.deepEqual(chainOf(deny, 'out', client.ip), ['counter drop']);
    assert.equal(chainOf(deny, 'in', client.ip), undefined, 'an Egress-only policy leaves ingress open');
    const some = compile([policy('prod', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'], egress: [
      { to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
      { ports: [{ port: 53, protocol: 'UDP' }] },
    ] })]);
    assert.deepEqual(chainOf(some, 'out', client.ip), ['ip daddr { 10.42.0.10 } meta l4proto tcp th dport 8080 return', 'meta l4proto udp th dport 53 return', 'counter drop']);
  });

  test('several policies selecting a pod add up; a policy in another namespace does not select it', () => {
    const s = compile([
      policy('prod', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] }),
      policy('prod', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
      policy('dev', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    assert.deepEqual(chainOf(s, 'in', web.ip), ['ip saddr { 10.42.0.11 } return', 'ip saddr { 10.0.0.0/8 } return', 'counter drop']);
    assert.doesNotMatch(s, /10\.42\.1\.13 : jump/);
  });
});
