import type { KindInfo } from './kind.js';
import { podModule } from './modules/core.js';
import type { Pod, Container } from '../pod.js';
import type { LabelSelector, NodeSelectorRequirement, PodAffinityTerm } from '../schema/pod.js';
import { PodSchema } from '../schema/pod.js';
import type { FieldCause } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import { checkLabel, checkLabelKey, checkLabelValue } from '../names.js';
import { withRules } from './with-rules.js';
import { checkConfigRefs } from './pod-config-refs.js';
import { checkProbes, defaultProbes } from './pod-probes.js';
import { checkPodSecurity, checkPodSecurityUpdate } from './pod-security.js';
import { checkPodStatus } from './pod-status-rules.js';
import { checkInitContainerRules, checkLifecycle } from './pod-init.js';
import { checkDeviceAnnotations } from './pod-devices.js';
import { checkHostSecurity } from './pod-host-security.js';

function checkResources(c: Container, path: string, out: FieldCause[]): void {
  for (const kind of ['requests', 'limits'] as const) {
    for (const [name, q] of Object.entries(c.resources?.[kind] ?? {})) {
      const v = parseQuantity(q);
      if (v === undefined) out.push({ field: `${path}.resources.${kind}.${name}`, message: `invalid quantity ${JSON.stringify(q)}: expected a number with an optional suffix such as 500m, 2, 64Mi or 1G` });
      else if (v < 0) out.push({ field: `${path}.resources.${kind}.${name}`, message: 'must be greater than or equal to 0' });
    }
  }
  for (const [name, limit] of Object.entries(c.resources?.limits ?? {})) {
    const req = c.resources?.requests?.[name];
    if (req === undefined) continue;
    const l = parseQuantity(limit);
    const r = parseQuantity(req);
    if (l !== undefined && r !== undefined && r > l) out.push({ field: `${path}.resources.requests.${name}`, message: `must be less than or equal to ${name} limit ${limit}` });
  }
}

/** Kubernetes' rules for one selector requirement; `field` for matchFields (only metadata.name, In/NotIn). */
function checkRequirement(r: NodeSelectorRequirement | NonNullable<LabelSelector['matchExpressions']>[number], path: string, out: FieldCause[], field = false): void {
  const values = r.values ?? [];
  const push = (f: string, message: string): void => { out.push({ field: `${path}.${f}`, message }); };
  if (field) {
    if (r.key !== 'metadata.name') push('key', `not a valid field selector key ${JSON.stringify(r.key)}: only "metadata.name" is supported`);
    if (r.operator !== 'In' && r.operator !== 'NotIn') push('operator', `not a valid operator ${JSON.stringify(r.operator)} for a node field selector: use In or NotIn`);
    else if (values.length !== 1) push('values', "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
    return;
  }
  const bad = checkLabelKey(r.key);
  if (bad) push('key', bad);
  if ((r.operator === 'In' || r.operator === 'NotIn') && values.length === 0) push('values', "must be specified when `operator` is 'In' or 'NotIn'");
  if ((r.operator === 'Exists' || r.operator === 'DoesNotExist') && values.length > 0) push('values', "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  if (r.operator === 'Gt' || r.operator === 'Lt') {
    if (values.length !== 1) push('values', "must be specified single value when `operator` is 'Lt' or 'Gt'");
    else if (!/^[+-]?[0-9]+$/.test(values[0]!)) push('values[0]', `must be an integer when \`operator\` is 'Lt' or 'Gt', got ${JSON.stringify(values[0])}`);
  }
}

function checkSelector(sel: LabelSelector | undefined, path: string, out: FieldCause[]): void {
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) {
    const bad = checkLabelKey(k) ?? checkLabelValue(v);
    if (bad) out.push({ field: `${path}.matchLabels.${k}`, message: bad });
  }
  sel?.matchExpressions?.forEach((r, i) => checkRequirement(r, `${path}.matchExpressions[${i}]`, out));
}

function checkPodAffinityTerm(t: PodAffinityTerm, path: string, out: FieldCause[]): void {
  checkSelector(t.labelSelector, `${path}.labelSelector`, out);
  t.namespaces?.forEach((ns, i) => { const bad = checkLabel(ns); if (bad) out.push({ field: `${path}.namespaces[${i}]`, message: bad }); });
  const bad = checkLabelKey(t.topologyKey);
  if (bad) out.push({ field: `${path}.topologyKey`, message: bad });
}

/** spec.affinity, spec.tolerations and spec.topologySpreadConstraints, as Kubernetes validates them. */
function checkScheduling(pod: Pod, out: FieldCause[]): void {
  const na = pod.spec.affinity?.nodeAffinity;
  const nodeTerm = (t: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }, p: string): void => {
    t.matchExpressions?.forEach((r, i) => checkRequirement(r, `${p}.matchExpressions[${i}]`, out));
    t.matchFields?.forEach((r, i) => checkRequirement(r, `${p}.matchFields[${i}]`, out, true));
  };
  const naPath = 'spec.affinity.nodeAffinity';
  na?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms.forEach((t, i) => nodeTerm(t, `${naPath}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`));
  na?.preferredDuringSchedulingIgnoredDuringExecution?.forEach((t, i) => nodeTerm(t.preference, `${naPath}.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`));
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const rules = pod.spec.affinity?.[kind];
    const p = `spec.affinity.${kind}`;
    rules?.requiredDuringSchedulingIgnoredDuringExecution?.forEach((t, i) => checkPodAffinityTerm(t, `${p}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, out));
    rules?.preferredDuringSchedulingIgnoredDuringExecution?.forEach((t, i) => checkPodAffinityTerm(t.podAffinityTerm, `${p}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm`, out));
  }
  pod.spec.tolerations?.forEach((t, i) => {
    const p = `spec.tolerations[${i}]`;
    const key = t.key ?? '';
    const bad = key === '' ? undefined : checkLabelKey(key);
    if (bad) out.push({ field: `${p}.key`, message: bad });
    if (key === '' && t.operator !== 'Exists') out.push({ field: `${p}.operator`, message: 'operator must be Exists when `key` is empty, which means "match all values and all keys"' });
    if (t.operator === 'Exists' && (t.value ?? '') !== '') out.push({ field: `${p}.value`, message: "value must be empty when `operator` is 'Exists'" });
    const badValue = t.operator !== 'Exists' ? checkLabelValue(t.value ?? '') : undefined;
    if (badValue) out.push({ field: `${p}.value`, message: badValue });
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') out.push({ field: `${p}.effect`, message: "effect must be 'NoExecute' when `tolerationSeconds` is set" });
  });
  const pairs = new Set<string>();
  pod.spec.topologySpreadConstraints?.forEach((c, i) => {
    const p = `spec.topologySpreadConstraints[${i}]`;
    const bad = checkLabelKey(c.topologyKey);
    if (bad) out.push({ field: `${p}.topologyKey`, message: bad });
    if (c.minDomains !== undefined && c.whenUnsatisfiable !== 'DoNotSchedule') out.push({ field: `${p}.minDomains`, message: `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}` });
    const pair = JSON.stringify([c.topologyKey, c.whenUnsatisfiable]);
    if (pairs.has(pair)) out.push({ field: `${p}.{topologyKey, whenUnsatisfiable}`, message: `duplicate value {${JSON.stringify(c.topologyKey)}, ${JSON.stringify(c.whenUnsatisfiable)}}` });
    pairs.add(pair);
    checkSelector(c.labelSelector, `${p}.labelSelector`, out);
  });
}

function semantic(pod: Pod): FieldCause[] {
  const out: FieldCause[] = [];
  const volumes = new Set<string>();
  (pod.spec.volumes ?? []).forEach((v, i) => {
    const p = `spec.volumes[${i}]`;
    if (volumes.has(v.name)) out.push({ field: `${p}.name`, message: `duplicate volume name ${JSON.stringify(v.name)}` });
    volumes.add(v.name);
    const sources = [v.hostPath, v.emptyDir, v.persistentVolumeClaim, v.configMap, v.secret].filter((s) => s !== undefined).length;
    if (sources !== 1) out.push({ field: p, message: 'must specify exactly one of hostPath, emptyDir, persistentVolumeClaim, configMap, secret' });
    if (v.hostPath && !v.hostPath.path.startsWith('/')) out.push({ field: `${p}.hostPath.path`, message: 'must be an absolute path' });
  });
  checkConfigRefs(pod, out);
  const names = new Set<string>();
  const hostPorts = new Set<string>();
  const all = [...pod.spec.containers.map((c, i) => ({ c, p: `spec.containers[${i}]` })), ...(pod.spec.initContainers ?? []).map((c, i) => ({ c, p: `spec.initContainers[${i}]` }))];
  checkInitContainerRules(pod.spec, out);
  all.forEach(({ c, p }) => {
    checkLifecycle(c, p, out);
    const bad = checkLabel(c.name);
    if (bad) out.push({ field: `${p}.name`, message: bad });
    if (names.has(c.name)) out.push({ field: `${p}.name`, message: `duplicate container name ${JSON.stringify(c.name)}` });
    names.add(c.name);
    if (c.workingDir !== undefined && c.workingDir !== '' && !c.workingDir.startsWith('/')) out.push({ field: `${p}.workingDir`, message: 'must be an absolute path' });
    (c.volumeMounts ?? []).forEach((m, j) => {
      if (!volumes.has(m.name)) out.push({ field: `${p}.volumeMounts[${j}].name`, message: `volume ${JSON.stringify(m.name)} is not defined in spec.volumes` });
      if (!m.mountPath.startsWith('/')) out.push({ field: `${p}.volumeMounts[${j}].mountPath`, message: 'must be an absolute path' });
      if (m.subPath !== undefined && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
        out.push({ field: `${p}.volumeMounts[${j}].subPath`, message: "must be a relative path without '..'" });
      }
    });
    (c.ports ?? []).forEach((port, j) => {
      if (port.hostPort === undefined) return;
      const key = `${port.hostIP ?? ''}:${port.hostPort}/${port.protocol ?? 'TCP'}`;
      if (hostPorts.has(key)) out.push({ field: `${p}.ports[${j}].hostPort`, message: `host port ${port.hostPort} is published twice` });
      hostPorts.add(key);
    });
    checkResources(c, p, out);
    checkProbes(c, p, out);
    const sc = c.securityContext;
    const nonRoot = sc?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
    const uid = sc?.runAsUser ?? pod.spec.securityContext?.runAsUser;
    if (nonRoot && uid === 0) out.push({ field: `${p}.securityContext.runAsUser`, message: 'runAsNonRoot is set, so runAsUser must not be 0' });
  });
  checkScheduling(pod, out);
  checkPodSecurity(pod, out);
  checkHostSecurity(pod, out);
  checkDeviceAnnotations(pod, out);
  for (const f of ['hostname', 'subdomain'] as const) {
    const v = pod.spec[f];
    const bad = v === undefined ? undefined : checkLabel(v);
    if (bad) out.push({ field: `spec.${f}`, message: bad });
  }
  checkPodStatus(pod.status, out);
  return out;
}

/** The Pod kind as the API server has it: its module plus schema, defaults and validation. */
export const podKind: KindInfo<Pod> = withRules(podModule, {
  schema: PodSchema,
  check: semantic,
  applyDefaults(pod) {
    const spec = pod.spec;
    spec.restartPolicy ??= 'Always';
    spec.terminationGracePeriodSeconds ??= 30;
    spec.schedulerName ??= 'default-scheduler';
    spec.priority ??= 0;
    // Lantern departs from Kubernetes here: IfNotPresent for every tag, because edge nodes are often
    // offline and images commonly arrive by import rather than from a registry.
    for (const c of [...spec.containers, ...spec.initContainers ?? []]) {
      c.imagePullPolicy ??= 'IfNotPresent';
      for (const port of c.ports ?? []) port.protocol ??= 'TCP';
      defaultProbes(c);
    }
  },
  validateUpdate(oldPod, newPod) {
    const out: FieldCause[] = [];
    if (oldPod.spec.nodeName && newPod.spec.nodeName !== oldPod.spec.nodeName) out.push({ field: 'spec.nodeName', message: 'field is immutable once the pod is bound to a node' });
    const strip = (p: Pod): string => JSON.stringify([p.spec.containers, p.spec.initContainers ?? []].map((list) => list.map((c) => ({ ...c, image: '' }))));
    if (strip(oldPod) !== strip(newPod)) out.push({ field: 'spec.containers', message: 'pod updates may only change containers[*].image (other fields are immutable, as in Kubernetes)' });
    checkPodSecurityUpdate(oldPod, newPod, out);
    return out;
  },
});
