import type { KindInfo } from './kind.js';
import type { Pod, Container } from '../pod.js';
import { PodSchema } from '../schema/pod.js';
import { SchemaValidator } from '../validate.js';
import type { FieldCause } from '../errors.js';
import { parseQuantity } from '../quantity.js';
import { checkLabel } from '../names.js';
import { checkMeta } from './meta-rules.js';

const validator = new SchemaValidator(PodSchema);

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

function semantic(pod: Pod): FieldCause[] {
  const out = checkMeta(pod.metadata, true);
  const volumes = new Set<string>();
  (pod.spec.volumes ?? []).forEach((v, i) => {
    const p = `spec.volumes[${i}]`;
    if (volumes.has(v.name)) out.push({ field: `${p}.name`, message: `duplicate volume name ${JSON.stringify(v.name)}` });
    volumes.add(v.name);
    const sources = [v.hostPath, v.emptyDir, v.persistentVolumeClaim].filter((s) => s !== undefined).length;
    if (sources !== 1) out.push({ field: p, message: 'must specify exactly one of hostPath, emptyDir, persistentVolumeClaim' });
    if (v.hostPath && !v.hostPath.path.startsWith('/')) out.push({ field: `${p}.hostPath.path`, message: 'must be an absolute path' });
  });
  const names = new Set<string>();
  const hostPorts = new Set<string>();
  pod.spec.containers.forEach((c, i) => {
    const p = `spec.containers[${i}]`;
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
    const sc = c.securityContext;
    const nonRoot = sc?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
    const uid = sc?.runAsUser ?? pod.spec.securityContext?.runAsUser;
    if (nonRoot && uid === 0) out.push({ field: `${p}.securityContext.runAsUser`, message: 'runAsNonRoot is set, so runAsUser must not be 0' });
  });
  return out;
}

/** The Pod kind: validation, defaults and selectable fields. */
export const podKind: KindInfo<Pod> = {
  kind: 'Pod',
  apiVersion: 'v1',
  resource: 'pods',
  namespaced: true,
  shortNames: ['po', 'pod'],
  hasStatus: true,
  validate(obj) {
    const causes = validator.causes(obj);
    return causes.length > 0 ? causes : semantic(obj as Pod);
  },
  applyDefaults(pod) {
    const spec = pod.spec;
    spec.restartPolicy ??= 'Always';
    spec.terminationGracePeriodSeconds ??= 30;
    spec.schedulerName ??= 'default-scheduler';
    spec.priority ??= 0;
    // Lantern departs from Kubernetes here: IfNotPresent for every tag, because edge nodes are often
    // offline and images commonly arrive by import rather than from a registry.
    for (const c of spec.containers) {
      c.imagePullPolicy ??= 'IfNotPresent';
      for (const port of c.ports ?? []) port.protocol ??= 'TCP';
    }
  },
  validateUpdate(oldPod, newPod) {
    const out: FieldCause[] = [];
    if (oldPod.spec.nodeName && newPod.spec.nodeName !== oldPod.spec.nodeName) out.push({ field: 'spec.nodeName', message: 'field is immutable once the pod is bound to a node' });
    const strip = (p: Pod): string => JSON.stringify(p.spec.containers.map((c) => ({ ...c, image: '' })));
    if (strip(oldPod) !== strip(newPod)) out.push({ field: 'spec.containers', message: 'pod updates may only change containers[*].image (other fields are immutable, as in Kubernetes)' });
    return out;
  },
  selectableFields(pod) {
    return {
      'metadata.name': pod.metadata.name,
      'metadata.namespace': pod.metadata.namespace ?? '',
      'spec.nodeName': pod.spec.nodeName ?? '',
      'spec.schedulerName': pod.spec.schedulerName ?? '',
      'status.phase': pod.status?.phase ?? '',
    };
  },
};
