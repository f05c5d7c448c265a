/**
 * The Pod Security Standards' checks (Kubernetes' pod-security-admission, "latest"), each a pure
 * function of a pod spec and its metadata returning the reason and detail Kubernetes prints, or
 * nothing. Fields Lantern's pod schema does not accept (hostPID, procMount, sysctls...) are read
 * loosely, so the checks stay right if the schema grows them.
 */

/** A level of the Pod Security Standards. */
export type Level = 'privileged' | 'baseline' | 'restricted';

/** The loose shape of a container the checks read. */
export interface CheckedContainer {
  name: string;
  ports?: { hostPort?: number }[];
  securityContext?: {
    privileged?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; runAsUser?: number; procMount?: string;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string }; appArmorProfile?: { type?: string };
    seLinuxOptions?: { type?: string; user?: string; role?: string };
    windowsOptions?: { hostProcess?: boolean };
  };
}

/** The loose shape of a pod spec the checks read. */
export interface CheckedSpec {
  containers: CheckedContainer[];
  initContainers?: CheckedContainer[];
  ephemeralContainers?: CheckedContainer[];
  hostNetwork?: boolean; hostPID?: boolean; hostIPC?: boolean; networkMode?: string;
  volumes?: Record<string, unknown>[];
  securityContext?: {
    runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string }; appArmorProfile?: { type?: string };
    seLinuxOptions?: { type?: string; user?: string; role?: string }; sysctls?: { name: string }[];
    windowsOptions?: { hostProcess?: boolean };
  };
}

/** What a check found: Kubernetes' reason ("privileged") and detail ('container "c" must not ...'). */
export interface Violation { reason: string; detail: string }

/** One check: its id (the order of the message), the lowest level it applies at, and the ids it replaces there. */
export interface Check { id: string; level: Exclude<Level, 'privileged'>; overrides?: string[]; run(spec: CheckedSpec, annotations: Record<string, string>): Violation | undefined }

const allContainers = (s: CheckedSpec): CheckedContainer[] => [...(s.initContainers ?? []), ...s.containers, ...(s.ephemeralContainers ?? [])];
const quoted = (names: readonly string[]): string => names.map((n) => JSON.stringify(n)).join(', ');
const containersWord = (names: readonly string[]): string => `${names.length === 1 ? 'container' : 'containers'} ${quoted(names)}`;
/** "container "a" must ..." for the containers PICK selects, or nothing when none. */
const perContainer = (s: CheckedSpec, reason: string, pick: (c: CheckedContainer) => boolean, must: string): Violation | undefined => {
  const bad = allContainers(s).filter(pick).map((c) => c.name);
  return bad.length === 0 ? undefined : { reason, detail: `${containersWord(bad)} ${must}` };
};

const baselineCapabilities = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const safeSysctls = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const restrictedVolumeTypes = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const seLinuxTypes = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const capName = (c: string): string => c.toUpperCase().replace(/^CAP_/, '');

/** Every check, sorted by id as Kubernetes orders the reasons of a message. */
export const checks: readonly Check[] = [
  {
    id: 'allowPrivilegeEscalation', level: 'restricted',
    run: (s) => perContainer(s, 'allowPrivilegeEscalation != false', (c) => c.securityContext?.allowPrivilegeEscalation !== false, 'must set securityContext.allowPrivilegeEscalation=false'),
  },
  {
    id: 'appArmorProfile', level: 'baseline',
    run(s, annotations) {
      const bad: string[] = [];
      if (s.securityContext?.appArmorProfile?.type === 'Unconfined') bad.push('pod');
      for (const c of allContainers(s)) if (c.securityContext?.appArmorProfile?.type === 'Unconfined') bad.push(`container ${JSON.stringify(c.name)}`);
      for (const [k, v] of Object.entries(annotations)) if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && v === 'unconfined') bad.push(`${k}="${v}"`);
      return bad.length === 0 ? undefined : { reason: 'forbidden AppArmor profile', detail: `${bad.join(', ')} must not set appArmorProfile.type="Unconfined"` };
    },
  },
  {
    id: 'capabilities_baseline', level: 'baseline',
    run(s) {
      const parts: string[] = [];
      for (const c of allContainers(s)) {
        const extra = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !baselineCapabilities.has(capName(cap)));
        if (extra.length > 0) parts.push(`container ${JSON.stringify(c.name)} must not include ${quoted(extra)} in securityContext.capabilities.add`);
      }
      return parts.length === 0 ? undefined : { reason: 'non-default capabilities', detail: parts.join('; ') };
    },
  },
  {
    id: 'capabilities_restricted', level: 'restricted', overrides: ['capabilities_baseline'],
    run(s) {
      const parts: string[] = [];
      const noDrop = allContainers(s).filter((c) => !(c.securityContext?.capabilities?.drop ?? []).some((d) => capName(d) === 'ALL')).map((c) => c.name);
      if (noDrop.length > 0) parts.push(`${containersWord(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      for (const c of allContainers(s)) {
        const extra = (c.securityContext?.capabilities?.add ?? []).filter((cap) => capName(cap) !== 'NET_BIND_SERVICE');
        if (extra.length > 0) parts.push(`container ${JSON.stringify(c.name)} must not include ${quoted(extra)} in securityContext.capabilities.add`);
      }
      return parts.length === 0 ? undefined : { reason: 'unrestricted capabilities', detail: parts.join('; ') };
    },
  },
  {
    id: 'hostNamespaces', level: 'baseline',
    run(s) {
      const on: string[] = [];
      if (s.hostNetwork === true) on.push('hostNetwork=true');
      if (s.networkMode === 'host') on.push('networkMode=host');
      if (s.hostPID === true) on.push('hostPID=true');
      if (s.hostIPC === true) on.push('hostIPC=true');
      return on.length === 0 ? undefined : { reason: 'host namespaces', detail: on.join(', ') };
    },
  },
  {
    id: 'hostPathVolumes', level: 'baseline',
    run(s) {
      const bad = (s.volumes ?? []).filter((v) => v.hostPath !== undefined).map((v) => String(v.name));
      return bad.length === 0 ? undefined : { reason: 'hostPath volumes', detail: `${bad.length === 1 ? 'volume' : 'volumes'} ${quoted(bad)}` };
    },
  },
  {
    id: 'hostPorts', level: 'baseline',
    run(s) {
      const parts: string[] = [];
      for (const c of allContainers(s)) {
        const ports = (c.ports ?? []).map((p) => p.hostPort ?? 0).filter((p) => p !== 0);
        if (ports.length > 0) parts.push(`container ${JSON.stringify(c.name)} uses ${ports.length === 1 ? 'hostPort' : 'hostPorts'} ${ports.join(', ')}`);
      }
      return parts.length === 0 ? undefined : { reason: 'hostPort', detail: parts.join('; ') };
    },
  },
  {
    id: 'hostProcess', level: 'baseline',
    run(s) {
      const pod = s.securityContext?.windowsOptions?.hostProcess === true;
      const bad = allContainers(s).filter((c) => c.securityContext?.windowsOptions?.hostProcess === true).map((c) => c.name);
      if (!pod && bad.length === 0) return undefined;
      return { reason: 'hostProcess', detail: [pod ? 'pod' : '', bad.length > 0 ? containersWord(bad) : ''].filter(Boolean).join(' and ') + ' must not set securityContext.windowsOptions.hostProcess=true' };
    },
  },
  {
    id: 'privileged', level: 'baseline',
    run: (s) => perContainer(s, 'privileged', (c) => c.securityContext?.privileged === true, 'must not set securityContext.privileged=true'),
  },
  {
    id: 'procMount', level: 'baseline',
    run: (s) => perContainer(s, 'procMount', (c) => c.securityContext?.procMount !== undefined && c.securityContext.procMount !== 'Default', 'must not set securityContext.procMount to "Unmasked"'),
  },
  {
    id: 'restrictedVolumes', level: 'restricted', overrides: ['hostPathVolumes'],
    run(s) {
      const parts: string[] = [];
      for (const v of s.volumes ?? []) {
        const type = Object.keys(v).find((k) => k !== 'name');
        if (type !== undefined && !restrictedVolumeTypes.has(type)) parts.push(`volume ${JSON.stringify(String(v.name))} uses restricted volume type ${JSON.stringify(type)}`);
      }
      return parts.length === 0 ? undefined : { reason: 'restricted volume types', detail: parts.join('; ') };
    },
  },
  {
    id: 'runAsNonRoot', level: 'restricted',
    run(s) {
      const pod = s.securityContext?.runAsNonRoot;
      const explicitFalse = allContainers(s).filter((c) => c.securityContext?.runAsNonRoot === false).map((c) => c.name);
      const parts: string[] = [];
      if (pod === false) parts.push('pod must not set securityContext.runAsNonRoot=false');
      if (explicitFalse.length > 0) parts.push(`${containersWord(explicitFalse)} must not set securityContext.runAsNonRoot=false`);
      if (pod !== true) {
        const unset = allContainers(s).filter((c) => c.securityContext?.runAsNonRoot === undefined).map((c) => c.name);
        if (unset.length > 0 && pod === undefined) parts.push(`pod or ${containersWord(unset)} must set securityContext.runAsNonRoot=true`);
      }
      return parts.length === 0 ? undefined : { reason: 'runAsNonRoot != true', detail: parts.join('; ') };
    },
  },
  {
    id: 'runAsUser', level: 'restricted',
    run(s) {
      const parts: string[] = [];
      if (s.securityContext?.runAsUser === 0) parts.push('pod must not set runAsUser=0');
      const bad = allContainers(s).filter((c) => c.securityContext?.runAsUser === 0).map((c) => c.name);
      if (bad.length > 0) parts.push(`${containersWord(bad)} must not set runAsUser=0`);
      return parts.length === 0 ? undefined : { reason: 'runAsUser=0', detail: parts.join('; ') };
    },
  },
  {
    id: 'seLinuxOptions', level: 'baseline',
    run(s) {
      const bad: string[] = [];
      const forbidden = (o: { type?: string; user?: string; role?: string } | undefined): string[] => {
        if (o === undefined) return [];
        const out: string[] = [];
        if (!seLinuxTypes.has(o.type ?? '')) out.push(`type ${JSON.stringify(o.type)}`);
        if ((o.user ?? '') !== '') out.push(`user ${JSON.stringify(o.user)}`);
        if ((o.role ?? '') !== '') out.push(`role ${JSON.stringify(o.role)}`);
        return out;
      };
      const p = forbidden(s.securityContext?.seLinuxOptions);
      if (p.length > 0) bad.push(`pod set forbidden securityContext.seLinuxOptions: ${p.join(', ')}`);
      for (const c of allContainers(s)) {
        const f = forbidden(c.securityContext?.seLinuxOptions);
        if (f.length > 0) bad.push(`container ${JSON.stringify(c.name)} set forbidden securityContext.seLinuxOptions: ${f.join(', ')}`);
      }
      return bad.length === 0 ? undefined : { reason: 'seLinuxOptions', detail: bad.join('; ') };
    },
  },
  {
    id: 'seccompProfile_baseline', level: 'baseline',
    run(s) {
      const parts: string[] = [];
      if (s.securityContext?.seccompProfile?.type === 'Unconfined') parts.push('pod must not set securityContext.seccompProfile.type to "Unconfined"');
      const bad = allContainers(s).filter((c) => c.securityContext?.seccompProfile?.type === 'Unconfined').map((c) => c.name);
      if (bad.length > 0) parts.push(`${containersWord(bad)} must not set securityContext.seccompProfile.type to "Unconfined"`);
      return parts.length === 0 ? undefined : { reason: 'seccompProfile', detail: parts.join('; ') };
    },
  },
  {
    id: 'seccompProfile_restricted', level: 'restricted', overrides: ['seccompProfile_baseline'],
    run(s) {
      const ok = (t: string | undefined): boolean => t === 'RuntimeDefault' || t === 'Localhost';
      const podType = s.securityContext?.seccompProfile?.type;
      const parts: string[] = [];
      if (podType !== undefined && !ok(podType)) parts.push(`pod must not set securityContext.seccompProfile.type to ${JSON.stringify(podType)}`);
      const wrong = allContainers(s).filter((c) => c.securityContext?.seccompProfile?.type !== undefined && !ok(c.securityContext.seccompProfile.type)).map((c) => c.name);
      if (wrong.length > 0) parts.push(`${containersWord(wrong)} must not set securityContext.seccompProfile.type to "Unconfined"`);
      if (podType === undefined) {
        const unset = allContainers(s).filter((c) => c.securityContext?.seccompProfile?.type === undefined).map((c) => c.name);
        if (unset.length > 0) parts.push(`pod or ${containersWord(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
      }
      return parts.length === 0 ? undefined : { reason: 'seccompProfile', detail: parts.join('; ') };
    },
  },
  {
    id: 'sysctls', level: 'baseline',
    run(s) {
      const bad = (s.securityContext?.sysctls ?? []).map((x) => x.name).filter((n) => !safeSysctls.has(n));
      return bad.length === 0 ? undefined : { reason: 'forbidden sysctls', detail: bad.join(', ') };
    },
  },
];

/** The checks that apply at LEVEL (restricted replaces the baseline checks it overrides). */
export function checksAt(level: Level): Check[] {
  if (level === 'privileged') return [];
  const active = checks.filter((c) => level === 'restricted' || c.level === 'baseline');
  const replaced = new Set(active.flatMap((c) => c.overrides ?? []));
  return active.filter((c) => !replaced.has(c.id));
}

/** Every violation of SPEC at LEVEL, in check order. */
export function evaluate(level: Level, spec: CheckedSpec, annotations: Record<string, string> = {}): Violation[] {
  return checksAt(level).map((c) => c.run(spec, annotations)).filter((v): v is Violation => v !== undefined);
}

/** Kubernetes' text for violations: `privileged (container "c" must ...), host namespaces (hostNetwork=true)`. */
export const describeViolations = (vs: readonly Violation[]): string => vs.map((v) => `${v.reason} (${v.detail})`).join(', ');
