/** `describe pod`: kubectl's sections for a pod, and the events about it. */
import type { Container, ContainerState, ContainerStatus, Pod, Volume } from '../pod.js';
import { Doc, describeTime } from './doc.js';
import type { DescribeContext, Describer } from './describe.js';
import { eventsAbout, eventsOf, eventsSection } from './events.js';
import { describeProbe } from './probe.js';
import { kubeStatus } from './pod-status.js';

function state(doc: Doc, level: number, label: string, s: ContainerState | undefined): void {
  if (!s || (!s.running && !s.terminated && !s.waiting)) { doc.kv(level, label, label === 'State' ? 'Waiting' : '<none>'); return; }
  if (s.running) { doc.kv(level, label, 'Running').kv(level + 1, 'Started', describeTime(s.running.startedAt)); return; }
  if (s.terminated) {
    const t = s.terminated;
    doc.kv(level, label, 'Terminated');
    if (t.reason) doc.kv(level + 1, 'Reason', t.reason);
    if (t.message) doc.kv(level + 1, 'Message', t.message);
    doc.kv(level + 1, 'Exit Code', String(t.exitCode));
    if (t.signal) doc.kv(level + 1, 'Signal', String(t.signal));
    doc.kv(level + 1, 'Started', describeTime(t.startedAt)).kv(level + 1, 'Finished', describeTime(t.finishedAt));
    return;
  }
  doc.kv(level, label, 'Waiting');
  if (s.waiting?.reason) doc.kv(level + 1, 'Reason', s.waiting.reason);
  if (s.waiting?.message) doc.kv(level + 1, 'Message', s.waiting.message);
}

/** kubectl's text for an env value taken from a ConfigMap or Secret key. */
function envText(e: NonNullable<Container['env']>[number]): string {
  const cm = e.valueFrom?.configMapKeyRef;
  if (cm) return `<set to the key '${cm.key}' of config map '${cm.name}'>  Optional: ${String(cm.optional ?? false)}`;
  const sec = e.valueFrom?.secretKeyRef;
  if (sec) return `<set to the key '${sec.key}' in secret '${sec.name}'>  Optional: ${String(sec.optional ?? false)}`;
  return e.value ?? '';
}

function container(doc: Doc, c: Container, cs: ContainerStatus | undefined): void {
  doc.kv(1, c.name);
  doc.kv(2, 'Container ID', cs?.containerID ?? '').kv(2, 'Image', c.image).kv(2, 'Image ID', cs?.imageID ?? '');
  const ports = c.ports ?? [];
  doc.kv(2, 'Port', ports.length ? ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') : '<none>');
  doc.kv(2, 'Host Port', ports.length ? ports.map((p) => `${p.hostIP ? `${p.hostIP}:` : ''}${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ') : '<none>');
  if (c.command?.length) { doc.kv(2, 'Command'); for (const a of c.command) doc.row(3, a); }
  if (c.args?.length) { doc.kv(2, 'Args'); for (const a of c.args) doc.row(3, a); }
  state(doc, 2, 'State', cs?.state);
  if (cs?.lastState && (cs.lastState.terminated || cs.lastState.running || cs.lastState.waiting)) state(doc, 2, 'Last State', cs.lastState);
  doc.kv(2, 'Ready', cs?.ready ? 'True' : 'False').kv(2, 'Restart Count', String(cs?.restartCount ?? 0));
  for (const kind of ['limits', 'requests'] as const) {
    const r = c.resources?.[kind];
    if (!r || Object.keys(r).length === 0) continue;
    doc.kv(2, kind === 'limits' ? 'Limits' : 'Requests');
    for (const [k, v] of Object.entries(r)) doc.row(3, `${k}:`, String(v));
  }
  if (c.livenessProbe) doc.kv(2, 'Liveness', describeProbe(c.livenessProbe));
  if (c.readinessProbe) doc.kv(2, 'Readiness', describeProbe(c.readinessProbe));
  if (c.startupProbe) doc.kv(2, 'Startup', describeProbe(c.startupProbe));
  if (c.workingDir) doc.kv(2, 'Working Dir', c.workingDir);
  const env = c.env ?? [];
  if (env.length === 0) doc.kv(2, 'Environment', '<none>');
  else { doc.kv(2, 'Environment'); for (const e of env) doc.row(3, `${e.name}:`, envText(e)); }
  for (const f of c.envFrom ?? []) doc.kv(2, 'Environment Variables from', `${f.configMapRef ? `${f.configMapRef.name}  ConfigMap` : `${f.secretRef?.name ?? ''}  Secret`}  Optional: ${String((f.configMapRef ?? f.secretRef)?.optional ?? false)}${f.prefix ? `  Prefix: ${f.prefix}` : ''}`);
  const mounts = c.volumeMounts ?? [];
  if (mounts.length === 0) doc.kv(2, 'Mounts', '<none>');
  else { doc.kv(2, 'Mounts'); for (const m of mounts) doc.row(3, `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})`); }
}

function volume(doc: Doc, v: Volume): void {
  doc.kv(1, v.name);
  if (v.hostPath) doc.kv(2, 'Type', 'HostPath (bare host directory volume)').kv(2, 'Path', v.hostPath.path).kv(2, 'HostPathType', v.hostPath.type ?? '');
  else if (v.emptyDir) doc.kv(2, 'Type', 'EmptyDir (a temporary directory that shares a pod\'s lifetime)').kv(2, 'Medium', v.emptyDir.medium ?? '').kv(2, 'SizeLimit', v.emptyDir.sizeLimit === undefined ? '<unset>' : String(v.emptyDir.sizeLimit));
  else if (v.persistentVolumeClaim) doc.kv(2, 'Type', 'PersistentVolumeClaim (a named volume on the node)').kv(2, 'ClaimName', v.persistentVolumeClaim.claimName).kv(2, 'ReadOnly', String(v.persistentVolumeClaim.readOnly ?? false));
  else if (v.configMap) doc.kv(2, 'Type', 'ConfigMap (a volume populated by a ConfigMap)').kv(2, 'Name', v.configMap.name).kv(2, 'Optional', String(v.configMap.optional ?? false));
  else if (v.secret) doc.kv(2, 'Type', 'Secret (a volume populated by a Secret)').kv(2, 'SecretName', v.secret.secretName).kv(2, 'Optional', String(v.secret.optional ?? false));
}

/** Name through Network: where the pod runs and how it is doing. */
function summary(doc: Doc, pod: Pod): void {
  const m = pod.metadata;
  doc.kv(0, 'Name', m.name).kv(0, 'Namespace', m.namespace ?? 'default').kv(0, 'Priority', String(pod.spec.priority ?? 0));
  if (pod.spec.priorityClassName) doc.kv(0, 'Priority Class Name', pod.spec.priorityClassName);
  doc.kv(0, 'Node', pod.spec.nodeName ? `${pod.spec.nodeName}${pod.status?.hostIP ? `/${pod.status.hostIP}` : ''}` : '<none>');
  doc.kv(0, 'Start Time', pod.status?.startTime ? describeTime(pod.status.startTime) : '<unset>');
  doc.map(0, 'Labels', m.labels).map(0, 'Annotations', m.annotations, ': ');
  const status = m.deletionTimestamp ? `Terminating (lasts until ${describeTime(m.deletionTimestamp)})` : pod.status?.phase ?? 'Pending';
  doc.kv(0, 'Status', status);
  if (pod.status?.reason) doc.kv(0, 'Reason', pod.status.reason);
  if (pod.status?.message) doc.kv(0, 'Message', pod.status.message);
  if (pod.status?.nominatedNodeName) doc.kv(0, 'NominatedNodeName', pod.status.nominatedNodeName);
  if (kubeStatus(pod) !== status && !m.deletionTimestamp) doc.kv(0, 'Display Status', kubeStatus(pod));
  doc.kv(0, 'IP', pod.status?.podIP ?? '');
  doc.kv(0, 'Restart Policy', pod.spec.restartPolicy ?? 'Always');
  doc.kv(0, 'Network', pod.spec.networkMode ?? (pod.spec.hostNetwork ? 'host' : 'bridge'));
}

function containers(doc: Doc, pod: Pod): void {
  doc.kv(0, 'Containers');
  for (const c of pod.spec.containers) container(doc, c, pod.status?.containerStatuses?.find((s) => s.name === c.name));
}

function conditions(doc: Doc, pod: Pod): void {
  const conds = pod.status?.conditions ?? [];
  if (conds.length) { doc.kv(0, 'Conditions').row(1, 'Type', 'Status'); for (const c of conds) doc.row(1, c.type, c.status); }
}

function volumes(doc: Doc, pod: Pod): void {
  const vols = pod.spec.volumes ?? [];
  if (vols.length === 0) doc.kv(0, 'Volumes', '<none>'); else { doc.kv(0, 'Volumes'); for (const v of vols) volume(doc, v); }
  doc.map(0, 'Node-Selectors', pod.spec.nodeSelector);
}

/** kubectl describe pod: the pod's sections, then the events about it (this pod's uid, not a predecessor's). */
export const podDescriber: Describer<Pod> = {
  related: (pod) => ({ events: eventsAbout('Pod', pod, false) }),
  sections: [summary, containers, conditions, volumes, (doc: Doc, pod: Pod, ctx: DescribeContext) => eventsSection(doc, eventsOf(ctx, pod), ctx.now)],
};
