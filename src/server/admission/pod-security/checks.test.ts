import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeViolations, evaluate, type CheckedContainer, type CheckedSpec, type Level } from './checks.js';

/** A pod that passes restricted: non-root, no escalation, drop ALL, RuntimeDefault seccomp. */
const restrictedOk = (): CheckedSpec => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
});
const withContainer = (sc: CheckedContainer['securityContext'], extra: Partial<CheckedContainer> = {}): CheckedSpec => {
  const s = restrictedOk();
  const c = s.containers[0];
  if (c) Object.assign(c, { ...extra, securityContext: { ...c.securityContext, ...sc } });
  return s;
};
const withPod = (p: Partial<CheckedSpec>): CheckedSpec => ({ ...restrictedOk(), ...p });

interface Case { name: string; spec: CheckedSpec; annotations?: Record<string, string>; baseline: string; restricted: string }

// Each row: what baseline and restricted say ('' = allowed), in Kubernetes' words.
const cases: Case[] = [
  { name: 'compliant pod', spec: restrictedOk(), baseline: '', restricted: '' },
  { name: 'privileged', spec: withContainer({ privileged: true }), baseline: 'privileged (container "c" must not set securityContext.privileged=true)', restricted: 'privileged (container "c" must not set securityContext.privileged=true)' },
  { name: 'hostNetwork', spec: withPod({ hostNetwork: true }), baseline: 'host namespaces (hostNetwork=true)', restricted: 'host namespaces (hostNetwork=true)' },
  { name: 'networkMode host (Lantern)', spec: withPod({ networkMode: 'host' }), baseline: 'host namespaces (networkMode=host)', restricted: 'host namespaces (networkMode=host)' },
  { name: 'hostPID and hostIPC', spec: withPod({ hostPID: true, hostIPC: true }), baseline: 'host namespaces (hostPID=true, hostIPC=true)', restricted: 'host namespaces (hostPID=true, hostIPC=true)' },
  { name: 'hostPath volume', spec: withPod({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }), baseline: 'hostPath volumes (volume "root")', restricted: 'restricted volume types (volume "root" uses restricted volume type "hostPath")' },
  { name: 'emptyDir volume', spec: withPod({ volumes: [{ name: 'tmp', emptyDir: {} }] }), baseline: '', restricted: '' },
  { name: 'hostPort', spec: withContainer({}, { ports: [{ hostPort: 8080 }] }), baseline: 'hostPort (container "c" uses hostPort 8080)', restricted: 'hostPort (container "c" uses hostPort 8080)' },
  { name: 'baseline capability added', spec: withContainer({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } }), baseline: '', restricted: 'unrestricted capabilities (container "c" must not include "CHOWN" in securityContext.capabilities.add)' },
  { name: 'NET_BIND_SERVICE added', spec: withContainer({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), baseline: '', restricted: '' },
  { name: 'NET_ADMIN added', spec: withContainer({ capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } }), baseline: 'non-default capabilities (container "c" must not include "NET_ADMIN" in securityContext.capabilities.add)', restricted: 'unrestricted capabilities (container "c" must not include "NET_ADMIN" in securityContext.capabilities.add)' },
  { name: 'no drop ALL', spec: withContainer({ capabilities: {} }), baseline: '', restricted: 'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"])' },
  { name: 'allowPrivilegeEscalation unset', spec: withContainer({ allowPrivilegeEscalation: undefined }), baseline: '', restricted: 'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)' },
  { name: 'runAsNonRoot unset', spec: withPod({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }), baseline: '', restricted: 'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true)' },
  { name: 'runAsNonRoot set on the container', spec: (() => { const s = withContainer({ runAsNonRoot: true }); s.securityContext = { seccompProfile: { type: 'RuntimeDefault' } }; return s; })(), baseline: '', restricted: '' },
  { name: 'runAsNonRoot=false on the container', spec: withContainer({ runAsNonRoot: false }), baseline: '', restricted: 'runAsNonRoot != true (container "c" must not set securityContext.runAsNonRoot=false)' },
  { name: 'runAsUser=0', spec: withContainer({ runAsUser: 0 }), baseline: '', restricted: 'runAsUser=0 (container "c" must not set runAsUser=0)' },
  { name: 'seccomp Unconfined on the pod', spec: withPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } }), baseline: 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")', restricted: 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")' },
  { name: 'seccomp unset', spec: withPod({ securityContext: { runAsNonRoot: true } }), baseline: '', restricted: 'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")' },
  { name: 'seccomp Localhost on the container', spec: (() => { const s = withContainer({ seccompProfile: { type: 'Localhost' } }); s.securityContext = { runAsNonRoot: true }; return s; })(), baseline: '', restricted: '' },
  { name: 'procMount Unmasked', spec: withContainer({ procMount: 'Unmasked' }), baseline: 'procMount (container "c" must not set securityContext.procMount to "Unmasked")', restricted: 'procMount (container "c" must not set securityContext.procMount to "Unmasked")' },
  { name: 'unsafe sysctl', spec: withPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.core.somaxconn' }, { name: 'net.ipv4.tcp_syncookies' }] } }), baseline: 'forbidden sysctls (net.core.somaxconn)', restricted: 'forbidden sysctls (net.core.somaxconn)' },
  { name: 'AppArmor Unconfined', spec: withContainer({ appArmorProfile: { type: 'Unconfined' } }), baseline: 'forbidden AppArmor profile (container "c" must not set appArmorProfile.type="Unconfined")', restricted: 'forbidden AppArmor profile (container "c" must not set appArmorProfile.type="Unconfined")' },
  { name: 'AppArmor annotation unconfined', spec: restrictedOk(), annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' }, baseline: 'forbidden AppArmor profile (container.apparmor.security.beta.kubernetes.io/c="unconfined" must not set appArmorProfile.type="Unconfined")', restricted: 'forbidden AppArmor profile (container.apparmor.security.beta.kubernetes.io/c="unconfined" must not set appArmorProfile.type="Unconfined")' },
  { name: 'SELinux type', spec: withContainer({ seLinuxOptions: { type: 'spc_t' } }), baseline: 'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "spc_t")', restricted: 'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "spc_t")' },
  { name: 'SELinux container_t', spec: withContainer({ seLinuxOptions: { type: 'container_t' } }), baseline: '', restricted: '' },
  { name: 'Windows hostProcess', spec: withContainer({ windowsOptions: { hostProcess: true } }), baseline: 'hostProcess (container "c" must not set securityContext.windowsOptions.hostProcess=true)', restricted: 'hostProcess (container "c" must not set securityContext.windowsOptions.hostProcess=true)' },
];

describe('Pod Security Standards checks', () => {
  for (const c of cases) {
    for (const level of ['baseline', 'restricted'] as const) {
      test(`${c.name} at ${level}`, () => {
        assert.equal(describeViolations(evaluate(level, c.spec, c.annotations)), c[level]);
      });
    }
  }

  test('privileged allows everything', () => {
    const spec = withPod({ hostNetwork: true, volumes: [{ name: 'root', hostPath: { path: '/' } }] });
    assert.deepEqual(evaluate('privileged' as Level, spec), []);
  });

  test("a root pod at restricted: Kubernetes' reasons in its order, init containers named too", () => {
    const spec: CheckedSpec = { containers: [{ name: 'app' }], initContainers: [{ name: 'setup' }] };
    assert.equal(describeViolations(evaluate('restricted', spec)),
      'allowPrivilegeEscalation != false (containers "setup", "app" must set securityContext.allowPrivilegeEscalation=false), '
      + 'unrestricted capabilities (containers "setup", "app" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or containers "setup", "app" must set securityContext.runAsNonRoot=true), '
      + 'seccompProfile (pod or containers "setup", "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
  });
});
