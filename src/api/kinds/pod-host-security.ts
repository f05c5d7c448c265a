/** A Pod's host namespaces, sysctls, procMount, SELinux and Windows options: what Lantern's nodes can honour. */
import type { FieldCause } from '../errors.js';
import type { Pod } from '../pod.js';

/** Kubernetes' safe sysctls (kubelet's default allow list, 1.29): namespaced and harmless to neighbours. */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);

const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/** Which namespace a sysctl lives in (Kubernetes' namespaced groups), or undefined for a node-wide one. */
export function sysctlNamespace(name: string): 'ipc' | 'net' | undefined {
  const n = name.replace(/\//g, '.');
  if (n === 'kernel.sem' || /^kernel\.(shm|msg)/.test(n) || n.startsWith('fs.mqueue.')) return 'ipc';
  if (n.startsWith('net.')) return 'net';
  return undefined;
}

/**
 * Refuses what a node cannot honour instead of ignoring it: node-wide or unsafe sysctls (nodes take no
 * --allowed-unsafe-sysctls), net.* sysctls with the host's network and ipc ones with the host's IPC
 * (they would change the host), SELinux options (no node has SELinux), Windows host processes.
 */
export function checkHostSecurity(pod: Pod, out: FieldCause[]): void {
  const spec = pod.spec;
  const psc = spec.securityContext;
  const hostNet = spec.hostNetwork === true || spec.networkMode === 'host';
  const seen = new Set<string>();
  psc?.sysctls?.forEach((s, i) => {
    const path = `spec.securityContext.sysctls[${i}].name`;
    const ns = sysctlNamespace(s.name);
    if (!SYSCTL_NAME.test(s.name)) out.push({ field: path, message: `invalid sysctl name ${JSON.stringify(s.name)}: expected dot-separated lower-case words such as net.ipv4.ip_local_port_range` });
    else if (seen.has(s.name)) out.push({ field: path, message: `duplicate sysctl ${s.name}` });
    else if (ns === undefined) out.push({ field: path, message: `sysctl ${s.name} is not namespaced: it would change the whole node, so a pod may not set it` });
    else if (!SAFE_SYSCTLS.has(s.name.replace(/\//g, '.'))) out.push({ field: path, message: `sysctl ${s.name} is not in Kubernetes' safe set and nodes allow no unsafe sysctls; safe: ${[...SAFE_SYSCTLS].join(', ')}` });
    else if (ns === 'net' && hostNet) out.push({ field: path, message: `sysctl ${s.name} not allowed with the host's network (hostNetwork): it would change the node` });
    else if (ns === 'ipc' && spec.hostIPC === true) out.push({ field: path, message: `sysctl ${s.name} not allowed with hostIPC: it would change the node` });
    seen.add(s.name);
  });
  const selinux = (v: object | undefined, path: string): void => {
    if (v && Object.values(v).some((x) => x !== undefined && x !== '')) out.push({ field: path, message: 'SELinux is not available on Lantern nodes: remove seLinuxOptions (it would not be honoured)' });
  };
  const windows = (v: { hostProcess?: boolean } | undefined, path: string): void => {
    if (v?.hostProcess === true) out.push({ field: `${path}.hostProcess`, message: 'Windows host processes are not supported: Lantern nodes run Linux' });
  };
  selinux(psc?.seLinuxOptions, 'spec.securityContext.seLinuxOptions');
  windows(psc?.windowsOptions, 'spec.securityContext.windowsOptions');
  const each = (list: Pod['spec']['containers'] | undefined, field: string): void => list?.forEach((c, i) => {
    const path = `spec.${field}[${i}].securityContext`;
    selinux(c.securityContext?.seLinuxOptions, `${path}.seLinuxOptions`);
    windows(c.securityContext?.windowsOptions, `${path}.windowsOptions`);
  });
  each(spec.containers, 'containers');
  each(spec.initContainers, 'initContainers');
}
