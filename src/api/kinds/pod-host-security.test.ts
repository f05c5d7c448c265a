import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podKind } from './pod.js';
import type { Pod } from '../pod.js';

function pod(tweak: (p: Pod) => void = () => {}): Pod {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  tweak(p);
  return p;
}
const fields = (p: Pod): string[] => podKind.validate(p).map((c) => `${c.field}: ${c.message}`);

describe('Pod hostPID, hostIPC, sysctls, procMount, SELinux and Windows options', () => {
  test('the schema accepts Kubernetes fields the nodes honour', () => {
    const good = pod((p) => {
      p.spec.hostPID = true;
      p.spec.hostIPC = true;
      p.spec.securityContext = { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '32768 60999' }, { name: 'net/ipv4/tcp_syncookies', value: '1' }] };
      p.spec.containers[0]!.securityContext = { procMount: 'Unmasked', windowsOptions: { hostProcess: false } };
    });
    assert.deepEqual(fields(good), []);
  });
  test('a node-wide sysctl is refused, naming the field', () => {
    const out = fields(pod((p) => { p.spec.securityContext = { sysctls: [{ name: 'kernel.panic', value: '1' }] }; }));
    assert.deepEqual(out, ['spec.securityContext.sysctls[0].name: sysctl kernel.panic is not namespaced: it would change the whole node, so a pod may not set it']);
  });
  test('an unsafe namespaced sysctl is refused with the safe set', () => {
    const [m] = fields(pod((p) => { p.spec.securityContext = { sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] }; }));
    assert.match(m ?? '', /^spec\.securityContext\.sysctls\[0\]\.name: sysctl net\.core\.somaxconn is not in Kubernetes' safe set.*net\.ipv4\.ip_local_port_range/);
  });
  test('net sysctls with the host network and ipc ones with hostIPC are refused', () => {
    assert.match(fields(pod((p) => { p.spec.networkMode = 'host'; p.spec.securityContext = { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] }; }))[0] ?? '', /not allowed with the host's network/);
    assert.match(fields(pod((p) => { p.spec.hostIPC = true; p.spec.securityContext = { sysctls: [{ name: 'kernel.shm_rmid_forced', value: '1' }] }; }))[0] ?? '', /not allowed with hostIPC/);
  });
  test('bad names, duplicates, SELinux options and Windows host processes are refused', () => {
    const out = fields(pod((p) => {
      p.spec.securityContext = { sysctls: [{ name: 'Net..x', value: '1' }, { name: 'kernel.shm_rmid_forced', value: '1' }, { name: 'kernel.shm_rmid_forced', value: '0' }],
        seLinuxOptions: { type: 'spc_t' } };
      p.spec.containers[0]!.securityContext = { windowsOptions: { hostProcess: true } };
    }));
    assert.equal(out.length, 4);
    assert.match(out[0]!, /sysctls\[0\]\.name: invalid sysctl name/);
    assert.match(out[1]!, /sysctls\[2\]\.name: duplicate sysctl kernel\.shm_rmid_forced/);
    assert.match(out[2]!, /^spec\.securityContext\.seLinuxOptions: SELinux is not available/);
    assert.match(out[3]!, /^spec\.containers\[0\]\.securityContext\.windowsOptions\.hostProcess: Windows host processes are not supported/);
  });
  test('a procMount outside Default/Unmasked fails the schema', () => {
    const p = pod((x) => { (x.spec.containers[0]!.securityContext as Record<string, unknown>) = { procMount: 'Weird' }; });
    assert.ok(podKind.validate(p).some((c) => c.field.includes('procMount')));
  });
});
