/**
 * A Compose project as Kubernetes objects in one namespace: per service a Deployment and a headless
 * Service; named volumes -> PVCs; configs/secrets -> ConfigMaps/Secrets mounted where Compose puts them.
 */
import type { ApiObject } from '../../api/meta.js';
import type { Deployment } from '../../api/schema/apps.js';
import type { ConfigMap, Secret } from '../../api/schema/config.js';
import type { Namespace } from '../../api/schema/namespace.js';
import type { Service } from '../../api/schema/service.js';
import type { PersistentVolumeClaim } from '../../api/schema/storage.js';
import type { Container, PodSpec, Volume, VolumeMount } from '../../api/pod.js';
import type { ComposeProject, ComposeService } from './model.js';
import { placement } from './placement.js';

/** Compose's own labels (docker-compose puts the same on its containers), used as selectors here. */
export const projectLabel = 'com.docker.compose.project';
export const serviceLabel = 'com.docker.compose.service';

/** One object to create, with the API resource it goes to. */
export interface Planned { resource: string; object: ApiObject }

/** What `up` creates, in groups: shared objects first, then each service's objects in depends_on order. */
export interface Plan { namespace: Namespace; shared: Planned[]; services: { service: ComposeService; objects: Planned[] }[]; warnings: string[] }

/** A DNS-label version of a Compose name (volume, config, secret). */
export function objectName(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'x';
}

/** The services in an order where every dependency comes before its dependents; throws on a cycle. */
export function startOrder(services: ComposeService[]): ComposeService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: ComposeService[] = [];
  const visit = (s: ComposeService): void => {
    if (done.has(s.name)) return;
    if (visiting.has(s.name)) throw new Error(`depends_on has a cycle through service "${s.name}"`);
    visiting.add(s.name);
    for (const dep of Object.keys(s.dependsOn)) visit(byName.get(dep)!);
    visiting.delete(s.name);
    done.add(s.name);
    out.push(s);
  };
  for (const s of services) visit(s);
  return out;
}

/** Translate a normalised project into the objects `lcctl compose up` creates. */
export function translate(p: ComposeProject): Plan {
  const ns = p.name;
  const warnings = [...p.warnings];
  const meta = (name: string, extra: Record<string, string> = {}): ApiObject['metadata'] => ({ name, namespace: ns, labels: { [projectLabel]: p.name, ...extra } });
  // Published ports (hostPort) and bind mounts (hostPath) are what Compose is for on a machine, and Pod
  // Security's baseline refuses both: such a project's namespace enforces privileged, as `default` does.
  const usesHost = p.services.some((s) => s.ports.some((port) => port.published !== undefined) || s.volumes.some((v) => v.type === 'bind'));
  const podSecurity: Record<string, string> = usesHost ? { 'pod-security.kubernetes.io/enforce': 'privileged' } : {};
  const namespace: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { [projectLabel]: p.name, ...podSecurity } } };
  const shared: Planned[] = [];
  const declared = new Set(p.volumes);
  const usedVolumes = new Set<string>();
  for (const s of p.services) for (const v of s.volumes) if (v.type === 'volume' && v.source !== undefined) usedVolumes.add(v.source);
  for (const v of usedVolumes) {
    if (!declared.has(v)) warnings.push(`volume "${v}" is used by a service but not declared under top-level volumes: created anyway`);
    const pvc: PersistentVolumeClaim = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(objectName(v)),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    };
    shared.push({ resource: 'persistentvolumeclaims', object: pvc });
  }
  for (const c of p.configs) {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(objectName(c.name)), data: { content: c.content } };
    shared.push({ resource: 'configmaps', object: cm });
  }
  for (const s of p.secrets) {
    const sec: Secret = { apiVersion: 'v1', kind: 'Secret', metadata: meta(objectName(s.name)), type: 'Opaque', data: { content: Buffer.from(s.content).toString('base64') } };
    shared.push({ resource: 'secrets', object: sec });
  }
  for (const n of p.networks) if (n !== 'default') warnings.push(`network "${n}": every service of the project shares the namespace's pod network (Compose networks do not isolate here)`);
  const services = startOrder(p.services).map((s) => ({ service: s, objects: serviceObjects(p, s, meta, warnings) }));
  return { namespace, shared, services, warnings };
}

function serviceObjects(p: ComposeProject, s: ComposeService, meta: (n: string, l?: Record<string, string>) => ApiObject['metadata'], warnings: string[]): Planned[] {
  const at = `services.${s.name}`;
  const selector = { [projectLabel]: p.name, [serviceLabel]: s.name };
  const volumes: Volume[] = [];
  const mounts: VolumeMount[] = [];
  s.volumes.forEach((v, i) => {
    const name = `v${i}`;
    if (v.type === 'bind') volumes.push({ name, hostPath: { path: v.source! } });
    else if (v.type === 'tmpfs') volumes.push({ name, emptyDir: { medium: 'Memory' } });
    else if (v.source === undefined) volumes.push({ name, emptyDir: {} });
    else volumes.push({ name, persistentVolumeClaim: { claimName: objectName(v.source) } });
    mounts.push({ name, mountPath: v.target, ...(v.readOnly ? { readOnly: true } : {}) });
  });
  const fileMount = (kind: 'config' | 'secret', ref: ComposeService['configs'][number], i: number): void => {
    const known = (kind === 'config' ? p.configs : p.secrets).some((c) => c.name === ref.source);
    if (!known) throw new Error(`${at}.${kind}s[${i}]: no top-level ${kind} named "${ref.source}"`);
    const name = `${kind[0]}${i}`;
    const items = [{ key: 'content', path: 'content', ...(ref.mode !== undefined ? { mode: ref.mode } : {}) }];
    volumes.push(kind === 'config' ? { name, configMap: { name: objectName(ref.source), items } } : { name, secret: { secretName: objectName(ref.source), items } });
    mounts.push({ name, mountPath: ref.target, subPath: 'content', readOnly: true });
  };
  s.configs.forEach((c, i) => fileMount('config', c, i));
  s.secrets.forEach((c, i) => fileMount('secret', c, i));

  const container: Container = { name: s.name, image: s.image };
  // Compose's entrypoint replaces the image's ENTRYPOINT (Kubernetes' command); its command the CMD (args).
  if (s.entrypoint) container.command = s.entrypoint;
  if (s.command) container.args = s.command;
  const env = Object.entries(s.environment).map(([name, value]) => ({ name, value }));
  if (env.length > 0) container.env = env;
  if (s.workingDir) container.workingDir = s.workingDir;
  if (mounts.length > 0) container.volumeMounts = mounts;
  const ports = s.ports.map((port) => ({
    containerPort: port.target, protocol: port.protocol,
    ...(port.published !== undefined ? { hostPort: port.published } : {}),
    ...(port.hostIp !== undefined ? { hostIP: port.hostIp } : {}),
  }));
  if (ports.length > 0) container.ports = ports;
  if (s.user !== undefined) {
    const m = /^(\d+)(?::(\d+))?$/.exec(s.user);
    if (m) container.securityContext = { runAsUser: Number(m[1]), ...(m[2] !== undefined ? { runAsGroup: Number(m[2]) } : {}) };
    else warnings.push(`${at}.user "${s.user}": only numeric UID[:GID] is supported; the image's user is used`);
  }
  if (s.healthcheck) {
    const h = s.healthcheck;
    container.readinessProbe = {
      exec: { command: h.test }, periodSeconds: h.interval ?? 30, timeoutSeconds: h.timeout ?? 30, failureThreshold: h.retries ?? 3,
      ...(h.startPeriod !== undefined ? { initialDelaySeconds: h.startPeriod } : {}),
    };
  }
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (s.deploy.limits?.cpus) limits.cpu = s.deploy.limits.cpus;
  if (s.deploy.limits?.memory) limits.memory = s.deploy.limits.memory;
  if (s.deploy.reservations?.cpus) requests.cpu = s.deploy.reservations.cpus;
  if (s.deploy.reservations?.memory) requests.memory = s.deploy.reservations.memory;
  if (Object.keys(limits).length + Object.keys(requests).length > 0) {
    container.resources = { ...(Object.keys(limits).length ? { limits } : {}), ...(Object.keys(requests).length ? { requests } : {}) };
  }
  if (s.restart !== undefined && s.restart !== 'always' && s.restart !== 'unless-stopped') {
    warnings.push(`${at}.restart "${s.restart}": a service runs as a Deployment, whose pods always restart`);
  }
  const spec: PodSpec = { containers: [container], ...(volumes.length > 0 ? { volumes } : {}), ...placement(s.deploy.constraints, `${at}.deploy.placement.constraints`) };
  const labels = { ...s.labels, ...selector };
  const deployment: Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(s.name, { [serviceLabel]: s.name }),
    spec: { replicas: s.deploy.replicas ?? 1, selector: { matchLabels: selector }, template: { metadata: { labels }, spec } },
  };
  if (Object.keys(s.labels).length > 0) deployment.metadata.annotations = { ...s.labels };
  const u = s.deploy.updateConfig;
  if (u) {
    const n = u.parallelism && u.parallelism > 0 ? u.parallelism : 1;
    // start-first starts new tasks before stopping old ones (surge); stop-first the other way round.
    deployment.spec.strategy = { type: 'RollingUpdate', rollingUpdate: u.order === 'start-first' ? { maxSurge: n, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: n } };
  }
  // Headless, so the name resolves to the containers themselves and every port is reachable, as on a
  // Compose network; listed anyway even before it is ready, as Docker's DNS does.
  const service: Service = {
    apiVersion: 'v1', kind: 'Service', metadata: meta(s.name, { [serviceLabel]: s.name }),
    spec: {
      clusterIP: 'None', selector, publishNotReadyAddresses: true,
      ...(ports.length > 0 ? { ports: s.ports.map((port) => ({ name: `${port.protocol.toLowerCase()}-${port.target}`, port: port.target, targetPort: port.target, protocol: port.protocol })) } : {}),
    },
  };
  return [{ resource: 'deployments', object: deployment }, { resource: 'services', object: service }];
}
