/**
 * Every kind with its rules (schema, defaults, validation): what the API server validates and
 * defaults with. Loads TypeBox and compiles each schema, so only the server side imports it; every
 * module of the kind list (index.ts) must have its rules here (checked when this file loads).
 */
import type { KindInfo } from './kind.js';
import { kindModules } from './index.js';
import { podKind } from './pod.js';
import { nodeKind } from './node.js';
import { eventKind } from './event.js';
import { priorityClassKind } from './priority-class.js';
import { podGroupKind } from './pod-group.js';
import { configMapKind } from './config-map.js';
import { secretKind } from './secret.js';
import { deploymentKind, replicaSetKind } from './apps.js';
import { statefulSetKind } from './statefulset.js';
import { daemonSetKind } from './daemonset.js';
import { controllerRevisionKind } from './controllerrevision.js';
import { jobKind } from './job.js';
import { cronJobKind } from './cronjob.js';
import { queueKind } from './queue.js';
import { workflowKind } from './workflow.js';
import { hpaKind } from './hpa.js';
import { networkPolicyKind } from './network-policy.js';
import { serviceKind } from './service.js';
import { endpointSliceKind } from './endpoint-slice.js';
import { networkKind } from './network.js';
import { persistentVolumeClaimKind, persistentVolumeKind, storageClassKind } from './storage.js';
import { namespaceKind } from './namespace.js';
import { leaseKind } from './lease.js';
import { serviceAccountKind } from './service-account.js';
import { limitRangeKind, resourceQuotaKind } from './tenancy.js';
import { clusterRoleBindingKind, clusterRoleKind, roleBindingKind, roleKind } from './rbac.js';
import { runtimeClassKind } from './runtime-class.js';
import { clusterImagePolicyKind } from './cluster-image-policy.js';

export type { KindInfo, KindRules } from './kind.js';

const all: readonly KindInfo[] = [
  podKind, nodeKind, eventKind, priorityClassKind, podGroupKind, configMapKind, secretKind,
  deploymentKind, replicaSetKind, statefulSetKind, daemonSetKind, controllerRevisionKind, jobKind, cronJobKind, queueKind, workflowKind, hpaKind, networkKind, serviceKind, endpointSliceKind, networkPolicyKind,
  persistentVolumeKind, persistentVolumeClaimKind, storageClassKind, namespaceKind, leaseKind,
  serviceAccountKind,
  roleKind, clusterRoleKind, roleBindingKind, clusterRoleBindingKind,
  runtimeClassKind,
  clusterImagePolicyKind,
  resourceQuotaKind, limitRangeKind,
];

/** Every kind with its rules, by URL resource name. */
export const kindRules: ReadonlyMap<string, KindInfo> = new Map(all.map((k) => [k.resource, k]));

for (const m of kindModules) {
  if (kindRules.get(m.resource)?.kind !== m.kind) throw new Error(`api/kinds: the kind module ${m.kind} (${m.resource}) has no rules in rules.ts`);
}
