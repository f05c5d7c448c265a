import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from '../../api/pod.js';
import type { ContainerConfig } from '../../runtime/types.js';
import { buildContainerConfig } from './container-config.js';

type Options = { annotations?: Record<string, string>; psc?: Pod['spec']['securityContext'] };

/** The runtime config the agent builds (numeric user and group given, so no image files are read). */
async function sec(c: Partial<Container> = {}, o: Options = {}): Promise<ContainerConfig> {
  const container: Container = { name: 'app', image: 'x', command: ['true'], ...c, securityContext: { runAsUser: 0, runAsGroup: 0, ...c.securityContext } };
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: { containers: [container], ...(o.psc ? { securityContext: o.psc } : {}) } };
  return buildContainerConfig({
    pod, container, layers: [], netns: 'host', attempt: 0,
    image: { names: ['x:1'], digest: 'sha256:d', id: 'sha256:i', sizeBytes: 1, architecture: 'amd64', os: 'linux', config: {}, diffIds: [] },
    mounts: [],
  });
}

describe('securityContext → the runtime config the agent builds', () => {
  test('capabilities reach the runtime as given; seccomp and AppArmor are left to the runtime default when unset', async () => {
    const s = await sec({ securityContext: { capabilities: { add: ['SYS_PTRACE'], drop: ['NET_RAW'] } } });
    assert.deepEqual(s.capabilities, { add: ['SYS_PTRACE'], drop: ['NET_RAW'] });
    assert.equal(s.privileged, false);
    assert.equal(s.noNewPrivileges, true);
    assert.equal(s.seccompProfile, undefined);
    assert.equal(s.appArmorProfile, undefined);
  });

  test('no_new_privs: allowPrivilegeEscalation decides; unset means set, except privileged or CAP_SYS_ADMIN', async () => {
    assert.equal((await sec({ securityContext: { allowPrivilegeEscalation: true } })).noNewPrivileges, false);
    assert.equal((await sec({ securityContext: { allowPrivilegeEscalation: false } })).noNewPrivileges, true);
    assert.equal((await sec({ securityContext: { privileged: true } })).noNewPrivileges, false);
    assert.equal((await sec({ securityContext: { capabilities: { add: ['cap_sys_admin'] } } })).noNewPrivileges, false);
    assert.equal((await sec({ securityContext: { privileged: true, allowPrivilegeEscalation: false } })).noNewPrivileges, true);
  });

  test('the container profile wins over the pod one; the pod one applies otherwise', async () => {
    const psc = { seccompProfile: { type: 'Unconfined' as const }, appArmorProfile: { type: 'Localhost' as const, localhostProfile: 'pod-prof' } };
    const inherited = await sec({}, { psc });
    assert.deepEqual(inherited.seccompProfile, { type: 'Unconfined' });
    assert.deepEqual(inherited.appArmorProfile, { type: 'Localhost', localhostProfile: 'pod-prof' });
    const own = await sec({ securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { psc });
    assert.deepEqual(own.seccompProfile, { type: 'RuntimeDefault' });
  });

  test("a Localhost profile carries the inline content lcctl run sent for this container, and only this container's", async () => {
    const annotations = { 'seccomp.lantern.dev/app': '{"defaultAction":"SCMP_ACT_ALLOW"}', 'seccomp.lantern.dev/other': '{"defaultAction":"SCMP_ACT_KILL"}' };
    const localhost = { seccompProfile: { type: 'Localhost' as const, localhostProfile: 'p.json' } };
    const inline = await sec({ securityContext: localhost }, { annotations });
    assert.deepEqual(inline.seccompProfile, { type: 'Localhost', localhostProfile: 'p.json', content: '{"defaultAction":"SCMP_ACT_ALLOW"}' });
    const fromNode = await sec({ securityContext: localhost });
    assert.deepEqual(fromNode.seccompProfile, { type: 'Localhost', localhostProfile: 'p.json' });
  });
});
