import { Type, type Static } from '@sinclair/typebox';
import { ObjectMetaSchema, StringMap } from './meta.js';
import { ConfigMapVolumeSchema, EnvFromSourceSchema, EnvVarSourceSchema, SecretVolumeSchema } from './config-refs.js';
import { StatusLimits } from '../status-limits.js';
import { Address, ConditionType, LongMessage, Message, Reason, ShortText, Time } from './status-shapes.js';

const strict = { additionalProperties: false } as const;
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Quantity = Type.Union([Type.String(), Type.Number()], { description: 'a quantity such as 500m, 2, 64Mi' });

export const EnvVarSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  value: Type.Optional(Type.String()),
  valueFrom: Type.Optional(EnvVarSourceSchema),
}, strict);

export const ContainerPortSchema = Type.Object({
  name: Type.Optional(Type.String()),
  containerPort: Port,
  hostPort: Type.Optional(Port),
  hostIP: Type.Optional(Type.String()),
  protocol: Type.Optional(Type.Union([Type.Literal('TCP'), Type.Literal('UDP')])),
}, strict);

export const ResourceRequirementsSchema = Type.Object({
  requests: Type.Optional(Type.Record(Type.String(), Quantity)),
  limits: Type.Optional(Type.Record(Type.String(), Quantity)),
}, strict);

export const VolumeMountSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  mountPath: Type.String({ minLength: 1 }),
  readOnly: Type.Optional(Type.Boolean()),
  subPath: Type.Optional(Type.String()),
}, strict);

export const CapabilitiesSchema = Type.Object({
  add: Type.Optional(Type.Array(Type.String())),
  drop: Type.Optional(Type.Array(Type.String())),
}, strict);

/** Kubernetes' seccompProfile and appArmorProfile: which profile, and its name for Localhost. */
export const SecurityProfileSchema = Type.Object({
  type: Type.Union([Type.Literal('RuntimeDefault'), Type.Literal('Unconfined'), Type.Literal('Localhost')]),
  localhostProfile: Type.Optional(Type.String()),
}, strict);

/** Kubernetes' v1.SELinuxOptions (Lantern's nodes have no SELinux: validation refuses any value). */
export const SELinuxOptionsSchema = Type.Object({
  user: Type.Optional(Type.String()), role: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()), level: Type.Optional(Type.String()),
}, strict);

/** Kubernetes' v1.WindowsSecurityContextOptions (Linux nodes only: hostProcess true is refused). */
export const WindowsOptionsSchema = Type.Object({
  gmsaCredentialSpecName: Type.Optional(Type.String()), gmsaCredentialSpec: Type.Optional(Type.String()),
  runAsUserName: Type.Optional(Type.String()), hostProcess: Type.Optional(Type.Boolean()),
}, strict);

/** One namespaced kernel parameter set for a pod (Kubernetes' v1.Sysctl). */
export const SysctlSchema = Type.Object({ name: Type.String({ minLength: 1, maxLength: 253 }), value: Type.String() }, strict);

export const SecurityContextSchema = Type.Object({
  runAsUser: Type.Optional(Type.Integer({ minimum: 0 })),
  runAsGroup: Type.Optional(Type.Integer({ minimum: 0 })),
  runAsNonRoot: Type.Optional(Type.Boolean()),
  readOnlyRootFilesystem: Type.Optional(Type.Boolean()),
  privileged: Type.Optional(Type.Boolean()),
  allowPrivilegeEscalation: Type.Optional(Type.Boolean()),
  capabilities: Type.Optional(CapabilitiesSchema),
  seccompProfile: Type.Optional(SecurityProfileSchema),
  appArmorProfile: Type.Optional(SecurityProfileSchema),
  // Issue 17 (W3): Kubernetes' remaining fields; api/kinds/pod-host-security.ts refuses what nodes cannot honour.
  procMount: Type.Optional(Type.Union([Type.Literal('Default'), Type.Literal('Unmasked')])),
  seLinuxOptions: Type.Optional(SELinuxOptionsSchema),
  windowsOptions: Type.Optional(WindowsOptionsSchema),
}, strict);

const ProbePort = Type.Union([Port, Type.String({ minLength: 1 })], { description: 'a port number (1-65535) or the name of a container port' });

/** How a probe checks a container: exactly one of exec, httpGet, tcpSocket (Kubernetes' v1.Probe). */
export const ProbeSchema = Type.Object({
  exec: Type.Optional(Type.Object({ command: Type.Array(Type.String(), { minItems: 1 }) }, strict)),
  httpGet: Type.Optional(Type.Object({
    path: Type.Optional(Type.String()),
    port: ProbePort,
    host: Type.Optional(Type.String()),
    scheme: Type.Optional(Type.Union([Type.Literal('HTTP'), Type.Literal('HTTPS')])),
    httpHeaders: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1 }), value: Type.String() }, strict))),
  }, strict)),
  tcpSocket: Type.Optional(Type.Object({ port: ProbePort, host: Type.Optional(Type.String()) }, strict)),
  initialDelaySeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  periodSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  successThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
  failureThreshold: Type.Optional(Type.Integer({ minimum: 1 })),
}, strict);

/** One lifecycle handler (postStart/preStop): exactly one of exec, httpGet, tcpSocket, sleep (Kubernetes' v1.LifecycleHandler). */
export const LifecycleHandlerSchema = Type.Object({
  exec: ProbeSchema.properties.exec,
  httpGet: ProbeSchema.properties.httpGet,
  tcpSocket: ProbeSchema.properties.tcpSocket,
  sleep: Type.Optional(Type.Object({ seconds: Type.Integer({ minimum: 0, maximum: 2147483647 }) }, strict)),
}, strict);

/** A container's lifecycle hooks (Kubernetes' v1.Lifecycle). */
export const LifecycleSchema = Type.Object({
  postStart: Type.Optional(LifecycleHandlerSchema),
  preStop: Type.Optional(LifecycleHandlerSchema),
}, strict);

export const ContainerSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  image: Type.String({ minLength: 1 }),
  imagePullPolicy: Type.Optional(Type.Union([Type.Literal('Always'), Type.Literal('IfNotPresent'), Type.Literal('Never')])),
  command: Type.Optional(Type.Array(Type.String())),
  args: Type.Optional(Type.Array(Type.String())),
  workingDir: Type.Optional(Type.String()),
  env: Type.Optional(Type.Array(EnvVarSchema)),
  envFrom: Type.Optional(Type.Array(EnvFromSourceSchema)),
  ports: Type.Optional(Type.Array(ContainerPortSchema)),
  resources: Type.Optional(ResourceRequirementsSchema),
  volumeMounts: Type.Optional(Type.Array(VolumeMountSchema)),
  securityContext: Type.Optional(SecurityContextSchema),
  stdin: Type.Optional(Type.Boolean()),
  stdinOnce: Type.Optional(Type.Boolean()),
  tty: Type.Optional(Type.Boolean()),
  terminationMessagePath: Type.Optional(Type.String()),
  terminationMessagePolicy: Type.Optional(Type.String()),
  livenessProbe: Type.Optional(ProbeSchema),
  readinessProbe: Type.Optional(ProbeSchema),
  startupProbe: Type.Optional(ProbeSchema),
  lifecycle: Type.Optional(LifecycleSchema),
  restartPolicy: Type.Optional(Type.Literal('Always', { description: 'init containers only: Always makes it a sidecar (native sidecar)' })),
}, strict);

export const VolumeSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  hostPath: Type.Optional(Type.Object({ path: Type.String({ minLength: 1 }), type: Type.Optional(Type.String()) }, strict)),
  emptyDir: Type.Optional(Type.Object({ medium: Type.Optional(Type.String()), sizeLimit: Type.Optional(Quantity) }, strict)),
  persistentVolumeClaim: Type.Optional(Type.Object({ claimName: Type.String({ minLength: 1 }), readOnly: Type.Optional(Type.Boolean()) }, strict)),
  configMap: Type.Optional(ConfigMapVolumeSchema),
  secret: Type.Optional(SecretVolumeSchema),
}, strict);

export const PodSecurityContextSchema = Type.Object({
  runAsUser: Type.Optional(Type.Integer({ minimum: 0 })),
  runAsGroup: Type.Optional(Type.Integer({ minimum: 0 })),
  runAsNonRoot: Type.Optional(Type.Boolean()),
  fsGroup: Type.Optional(Type.Integer({ minimum: 0 })),
  seccompProfile: Type.Optional(SecurityProfileSchema),
  appArmorProfile: Type.Optional(SecurityProfileSchema),
  sysctls: Type.Optional(Type.Array(SysctlSchema, { maxItems: 64 })),
  seLinuxOptions: Type.Optional(SELinuxOptionsSchema),
  windowsOptions: Type.Optional(WindowsOptionsSchema),
}, strict);

const Weight = Type.Integer({ minimum: 1, maximum: 100 });
const literals = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** One requirement on node labels (matchExpressions) or node fields (matchFields, only metadata.name). */
export const NodeSelectorRequirementSchema = Type.Object({
  key: Type.String({ minLength: 1 }),
  operator: literals('In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'),
  values: Type.Optional(Type.Array(Type.String())),
}, strict);

/** Requirements ANDed together; an empty term matches no node. */
export const NodeSelectorTermSchema = Type.Object({
  matchExpressions: Type.Optional(Type.Array(NodeSelectorRequirementSchema)),
  matchFields: Type.Optional(Type.Array(NodeSelectorRequirementSchema)),
}, strict);

export const NodeAffinitySchema = Type.Object({
  /** Terms ORed: the node must match at least one. */
  requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(Type.Object({
    nodeSelectorTerms: Type.Array(NodeSelectorTermSchema, { minItems: 1 }),
  }, strict)),
  preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(Type.Array(Type.Object({
    weight: Weight,
    preference: NodeSelectorTermSchema,
  }, strict))),
}, strict);

/** metav1.LabelSelector: matchLabels and matchExpressions ANDed; {} selects everything, absent selects nothing. */
export const LabelSelectorSchema = Type.Object({
  matchLabels: Type.Optional(StringMap),
  matchExpressions: Type.Optional(Type.Array(Type.Object({
    key: Type.String({ minLength: 1 }),
    operator: literals('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: Type.Optional(Type.Array(Type.String())),
  }, strict))),
}, strict);

/** Pods matching labelSelector in namespaces (default: the pod's own), grouped by the node label topologyKey. */
export const PodAffinityTermSchema = Type.Object({
  labelSelector: Type.Optional(LabelSelectorSchema),
  namespaces: Type.Optional(Type.Array(Type.String())),
  topologyKey: Type.String({ minLength: 1 }),
}, strict);

const PodAffinityRulesSchema = Type.Object({
  requiredDuringSchedulingIgnoredDuringExecution: Type.Optional(Type.Array(PodAffinityTermSchema)),
  preferredDuringSchedulingIgnoredDuringExecution: Type.Optional(Type.Array(Type.Object({
    weight: Weight,
    podAffinityTerm: PodAffinityTermSchema,
  }, strict))),
}, strict);

export const AffinitySchema = Type.Object({
  nodeAffinity: Type.Optional(NodeAffinitySchema),
  podAffinity: Type.Optional(PodAffinityRulesSchema),
  podAntiAffinity: Type.Optional(PodAffinityRulesSchema),
}, strict);

/** Tolerates taints: an empty key with Exists tolerates every taint, an empty effect every effect. */
export const TolerationSchema = Type.Object({
  key: Type.Optional(Type.String()),
  operator: Type.Optional(literals('Equal', 'Exists')),
  value: Type.Optional(Type.String()),
  effect: Type.Optional(literals('', 'NoSchedule', 'PreferNoSchedule', 'NoExecute')),
  tolerationSeconds: Type.Optional(Type.Integer()),
}, strict);

export const TopologySpreadConstraintSchema = Type.Object({
  maxSkew: Type.Integer({ minimum: 1 }),
  topologyKey: Type.String({ minLength: 1 }),
  whenUnsatisfiable: literals('DoNotSchedule', 'ScheduleAnyway'),
  labelSelector: Type.Optional(LabelSelectorSchema),
  minDomains: Type.Optional(Type.Integer({ minimum: 1 })),
}, strict);

/** core v1 PodDNSConfig: extra resolver settings merged into (or, with dnsPolicy None, making) resolv.conf. */
export const PodDnsConfigSchema = Type.Object({
  nameservers: Type.Optional(Type.Array(Type.String({ maxLength: 64, pattern: '^[0-9A-Fa-f:.]+$', description: 'an IP address' }), { maxItems: 3 })),
  searches: Type.Optional(Type.Array(Type.String({ maxLength: 253, pattern: '^[A-Za-z0-9_.-]+$', description: 'a DNS domain' }), { maxItems: 32 })),
  options: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    value: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_.-]*$' })),
  }, strict), { maxItems: 16 })),
}, strict);

export const PodSpecSchema = Type.Object({
  containers: Type.Array(ContainerSchema, { minItems: 1 }),
  initContainers: Type.Optional(Type.Array(ContainerSchema)),
  volumes: Type.Optional(Type.Array(VolumeSchema)),
  restartPolicy: Type.Optional(Type.Union([Type.Literal('Always'), Type.Literal('OnFailure'), Type.Literal('Never')])),
  nodeSelector: Type.Optional(StringMap),
  nodeName: Type.Optional(Type.String()),
  hostname: Type.Optional(Type.String()),
  subdomain: Type.Optional(Type.String()),
  hostNetwork: Type.Optional(Type.Boolean()),
  hostPID: Type.Optional(Type.Boolean()),
  hostIPC: Type.Optional(Type.Boolean()),
  networkMode: Type.Optional(Type.Union([Type.Literal('bridge'), Type.Literal('host'), Type.Literal('none')], { description: 'Lantern: bridge (default), host or none, as docker --network' })),
  dnsPolicy: Type.Optional(literals('ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None')),
  dnsConfig: Type.Optional(PodDnsConfigSchema),
  securityContext: Type.Optional(PodSecurityContextSchema),
  terminationGracePeriodSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
  schedulerName: Type.Optional(Type.String()),
  priority: Type.Optional(Type.Integer()),
  priorityClassName: Type.Optional(Type.String()),
  affinity: Type.Optional(AffinitySchema),
  tolerations: Type.Optional(Type.Array(TolerationSchema)),
  topologySpreadConstraints: Type.Optional(Type.Array(TopologySpreadConstraintSchema)),
  // Issue 17 (T4): the RuntimeClass (node.k8s.io) to run under, its overhead (set by admission), registry credentials.
  runtimeClassName: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  overhead: Type.Optional(Type.Record(Type.String(), Quantity)),
  imagePullSecrets: Type.Optional(Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 253 }) }, strict), { maxItems: 64 })),
  // Issue 17 (T1): the ServiceAccount the pod runs as (default "default") and whether its token is mounted.
  serviceAccountName: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  automountServiceAccountToken: Type.Optional(Type.Boolean()),
}, strict);

// Status is written by nodes, which the API does not trust: every string and list has a bound and a
// shape (status-shapes.ts; kinds/pod-status-rules.ts adds what a schema cannot state, such as IPs).
const Int32 = Type.Integer({ minimum: -2147483648, maximum: 2147483647 });

const ContainerStateSchema = Type.Object({
  waiting: Type.Optional(Type.Object({ reason: Type.Optional(Reason), message: Type.Optional(Message) }, strict)),
  running: Type.Optional(Type.Object({ startedAt: Type.Optional(Time) }, strict)),
  terminated: Type.Optional(Type.Object({
    exitCode: Int32,
    signal: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    reason: Type.Optional(Reason),
    message: Type.Optional(Message),
    startedAt: Type.Optional(Time),
    finishedAt: Type.Optional(Time),
    containerID: Type.Optional(ShortText),
  }, strict)),
}, strict);

export const ContainerStatusSchema = Type.Object({
  name: Type.String({ maxLength: 63 }),
  state: ContainerStateSchema,
  lastState: Type.Optional(ContainerStateSchema),
  ready: Type.Boolean(),
  restartCount: Type.Integer({ minimum: 0, maximum: 2147483647 }),
  image: ShortText,
  imageID: Type.Optional(ShortText),
  containerID: Type.Optional(ShortText),
  started: Type.Optional(Type.Boolean()),
}, strict);

export const PodStatusSchema = Type.Object({
  phase: Type.Optional(Type.Union(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'].map((p) => Type.Literal(p)))),
  conditions: Type.Optional(Type.Array(Type.Object({
    type: ConditionType,
    status: Type.Union([Type.Literal('True'), Type.Literal('False'), Type.Literal('Unknown')]),
    reason: Type.Optional(Reason),
    message: Type.Optional(LongMessage),
    lastTransitionTime: Type.Optional(Time),
    lastProbeTime: Type.Optional(Time),
  }, strict), { maxItems: StatusLimits.conditions })),
  message: Type.Optional(LongMessage),
  reason: Type.Optional(Reason),
  hostIP: Type.Optional(Address),
  hostIPs: Type.Optional(Type.Array(Type.Object({ ip: Address }, strict), { maxItems: 2 })),
  podIP: Type.Optional(Address),
  podIPs: Type.Optional(Type.Array(Type.Object({ ip: Address }, strict), { maxItems: 2 })),
  startTime: Type.Optional(Time),
  containerStatuses: Type.Optional(Type.Array(ContainerStatusSchema, { maxItems: StatusLimits.containers })),
  initContainerStatuses: Type.Optional(Type.Array(ContainerStatusSchema, { maxItems: StatusLimits.containers })),
  nominatedNodeName: Type.Optional(Type.String({ maxLength: 253 })),
  qosClass: Type.Optional(Type.Union([Type.Literal('Guaranteed'), Type.Literal('Burstable'), Type.Literal('BestEffort')])),
}, strict);

/** A group of containers that share a network namespace and run on one node. */
export const PodSchema = Type.Object({
  apiVersion: Type.Literal('v1'),
  kind: Type.Literal('Pod'),
  metadata: ObjectMetaSchema,
  spec: PodSpecSchema,
  status: Type.Optional(PodStatusSchema),
}, strict);

export type Pod = Static<typeof PodSchema>;
export type PodSpec = Static<typeof PodSpecSchema>;
export type PodStatus = Static<typeof PodStatusSchema>;
export type Container = Static<typeof ContainerSchema>;
export type Probe = Static<typeof ProbeSchema>;
export type LifecycleHandler = Static<typeof LifecycleHandlerSchema>;
export type ContainerStatus = Static<typeof ContainerStatusSchema>;
export type ContainerState = Static<typeof ContainerStateSchema>;
export type Volume = Static<typeof VolumeSchema>;
export type VolumeMount = Static<typeof VolumeMountSchema>;
export type EnvVar = Static<typeof EnvVarSchema>;
export type ContainerPort = Static<typeof ContainerPortSchema>;
export type SecurityContext = Static<typeof SecurityContextSchema>;
export type SecurityProfile = Static<typeof SecurityProfileSchema>;
export type PodPhase = NonNullable<PodStatus['phase']>;
export type PodCondition = NonNullable<PodStatus['conditions']>[number];
export type Affinity = Static<typeof AffinitySchema>;
export type NodeAffinity = Static<typeof NodeAffinitySchema>;
export type NodeSelectorTerm = Static<typeof NodeSelectorTermSchema>;
export type NodeSelectorRequirement = Static<typeof NodeSelectorRequirementSchema>;
export type LabelSelector = Static<typeof LabelSelectorSchema>;
export type PodAffinityTerm = Static<typeof PodAffinityTermSchema>;
export type Toleration = Static<typeof TolerationSchema>;
export type TopologySpreadConstraint = Static<typeof TopologySpreadConstraintSchema>;
