/** A container's securityContext (and its pod's) → the runtime's security settings. */
import type { Container, Pod } from '../../api/pod.js';
import { SECCOMP_PROFILE_ANNOTATION_PREFIX } from '../../api/seccomp-profile.js';
import type { ContainerConfig } from '../../runtime/types.js';

type SecurityFields = Pick<ContainerConfig, 'capabilities' | 'privileged' | 'noNewPrivileges' | 'seccompProfile' | 'appArmorProfile'
  | 'hostPID' | 'hostIPC' | 'sysctls' | 'procMount'>;

/**
 * Capabilities and privileged as given; seccomp and AppArmor from the container, else the pod (the
 * runtime's default when neither says); a Localhost seccomp profile sent inline by `lcctl run`
 * (annotation seccomp.lantern.dev/<container>) travels as its content. no_new_privs: set unless
 * allowPrivilegeEscalation is true; when it is unset, Lantern sets it (stricter than Kubernetes)
 * except for privileged containers and those adding CAP_SYS_ADMIN, which Kubernetes always lets escalate.
 */
export function securityFor(pod: Pod, c: Container): SecurityFields {
  const sc = c.securityContext ?? {};
  const psc = pod.spec.securityContext ?? {};
  const privileged = sc.privileged ?? false;
  const adds = (sc.capabilities?.add ?? []).map((a) => a.toUpperCase().replace(/^CAP_/, ''));
  const escalates = privileged || adds.includes('SYS_ADMIN') || adds.includes('ALL');
  const out: SecurityFields = {
    capabilities: { add: sc.capabilities?.add, drop: sc.capabilities?.drop },
    privileged,
    noNewPrivileges: sc.allowPrivilegeEscalation === undefined ? !escalates : !sc.allowPrivilegeEscalation,
  };
  const seccomp = sc.seccompProfile ?? psc.seccompProfile;
  if (seccomp) {
    const inline = pod.metadata.annotations?.[`${SECCOMP_PROFILE_ANNOTATION_PREFIX}${c.name}`];
    out.seccompProfile = { type: seccomp.type,
      ...(seccomp.localhostProfile !== undefined ? { localhostProfile: seccomp.localhostProfile } : {}),
      ...(seccomp.type === 'Localhost' && inline !== undefined ? { content: inline } : {}) };
  }
  const apparmor = sc.appArmorProfile ?? psc.appArmorProfile;
  // Issue 17 (W3): host namespaces, sysctls (the API let through only safe namespaced ones), procMount.
  if (pod.spec.hostPID === true) out.hostPID = true;
  if (pod.spec.hostIPC === true) out.hostIPC = true;
  if (psc.sysctls?.length) out.sysctls = Object.fromEntries(psc.sysctls.map((s) => [s.name.replace(/\//g, '.'), s.value]));
  if (sc.procMount === 'Unmasked') out.procMount = 'Unmasked';
  if (apparmor) out.appArmorProfile = { type: apparmor.type, ...(apparmor.localhostProfile !== undefined ? { localhostProfile: apparmor.localhostProfile } : {}) };
  return out;
}
