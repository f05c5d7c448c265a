/** A Pod's seccomp and AppArmor choices, as Kubernetes validates them, plus Lantern's inline profiles. */
import type { FieldCause } from '../errors.js';
import type { Pod } from '../pod.js';
import type { SecurityProfile } from '../schema/pod.js';
import { ApiError } from '../errors.js';
import { parseSeccompProfile, SECCOMP_PROFILE_ANNOTATION_PREFIX } from '../seccomp-profile.js';

const APPARMOR_NAME = /^[\x21-\x7e]{1,255}$/;

function checkProfile(p: SecurityProfile | undefined, path: string, what: 'seccomp' | 'AppArmor', out: FieldCause[]): void {
  if (!p) return;
  const name = p.localhostProfile;
  if (p.type !== 'Localhost') {
    if (name !== undefined) out.push({ field: `${path}.localhostProfile`, message: `can only be set when ${what} type is Localhost` });
    return;
  }
  if (name === undefined || name === '') {
    out.push({ field: `${path}.localhostProfile`, message: `must be set when ${what} type is Localhost` });
  } else if (what === 'seccomp') {
    if (name.startsWith('/')) out.push({ field: `${path}.localhostProfile`, message: "must be a relative path (below the node's seccomp directory)" });
    else if (name.split('/').includes('..')) out.push({ field: `${path}.localhostProfile`, message: "must not contain '..'" });
  } else if (!APPARMOR_NAME.test(name) || name.includes('"')) {
    out.push({ field: `${path}.localhostProfile`, message: 'must be the name of an AppArmor profile loaded on the node (printable, no spaces or quotes, at most 255 characters)' });
  }
}

/** The seccomp type a container ends up with: its own, else the pod's (absent: RuntimeDefault on the node). */
export function effectiveSeccompType(pod: Pod, containerName: string): SecurityProfile['type'] | undefined {
  const c = pod.spec.containers.find((x) => x.name === containerName);
  return c?.securityContext?.seccompProfile?.type ?? pod.spec.securityContext?.seccompProfile?.type;
}

/** Field rules for seccompProfile/appArmorProfile and the `seccomp.lantern.dev/<container>` annotations. */
export function checkPodSecurity(pod: Pod, out: FieldCause[]): void {
  const psc = pod.spec.securityContext;
  checkProfile(psc?.seccompProfile, 'spec.securityContext.seccompProfile', 'seccomp', out);
  checkProfile(psc?.appArmorProfile, 'spec.securityContext.appArmorProfile', 'AppArmor', out);
  [...pod.spec.containers, ...pod.spec.initContainers ?? []].forEach((c, i) => {
    const p = i < pod.spec.containers.length ? `spec.containers[${i}].securityContext` : `spec.initContainers[${i - pod.spec.containers.length}].securityContext`;
    checkProfile(c.securityContext?.seccompProfile, `${p}.seccompProfile`, 'seccomp', out);
    checkProfile(c.securityContext?.appArmorProfile, `${p}.appArmorProfile`, 'AppArmor', out);
  });
  for (const [key, value] of Object.entries(pod.metadata.annotations ?? {})) {
    if (!key.startsWith(SECCOMP_PROFILE_ANNOTATION_PREFIX)) continue;
    const field = `metadata.annotations[${key}]`;
    const container = key.slice(SECCOMP_PROFILE_ANNOTATION_PREFIX.length);
    if (!pod.spec.containers.some((c) => c.name === container)) {
      out.push({ field, message: `names no container of this pod: the key is ${SECCOMP_PROFILE_ANNOTATION_PREFIX}<container name>` });
      continue;
    }
    if (effectiveSeccompType(pod, container) !== 'Localhost') {
      out.push({ field, message: `an inline seccomp profile needs the container's securityContext.seccompProfile to be {type: Localhost, localhostProfile: NAME}` });
    }
    try {
      parseSeccompProfile(value, `seccomp profile in ${key}`);
    } catch (e) {
      out.push({ field, message: e instanceof ApiError ? e.message : String(e) });
    }
  }
}

/** Inline profiles are part of the container's definition: like the rest of it, they cannot change. */
export function checkPodSecurityUpdate(oldPod: Pod, newPod: Pod, out: FieldCause[]): void {
  const inline = (p: Pod): Map<string, string> => new Map(Object.entries(p.metadata.annotations ?? {}).filter(([k]) => k.startsWith(SECCOMP_PROFILE_ANNOTATION_PREFIX)));
  const before = inline(oldPod);
  const after = inline(newPod);
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(k) !== after.get(k)) out.push({ field: `metadata.annotations[${k}]`, message: 'field is immutable: the seccomp profile of a container cannot change (delete and recreate the pod)' });
  }
}
