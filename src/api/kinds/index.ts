/**
 * The list of every kind Lantern serves, one module each (modules/, a file per API group). The API
 * server's routes and served groups, the client's paths, lcctl's get/describe/delete/wait, its name
 * resolution, help and unknown-kind message, and the discovery documents (discovery.ts) are all made
 * from it. It loads no schema: the API server's rules for each kind are rules.ts.
 */
import type { ApiObject } from '../meta.js';
import type { KindModule } from './module.js';
import { configMapModule, eventModule, namespaceModule, nodeModule, persistentVolumeClaimModule, persistentVolumeModule, podModule, secretModule, serviceModule } from './modules/core.js';
import { storageClassModule } from './modules/storage.js';
import { endpointSliceModule } from './modules/discovery.js';
import { priorityClassModule } from './modules/scheduling.js';
import { networkModule, podGroupModule, queueModule, workflowModule } from './modules/lantern.js';
import { controllerRevisionModule, daemonSetModule, deploymentModule, replicaSetModule, statefulSetModule } from './modules/apps.js';
import { cronJobModule, jobModule } from './modules/batch.js';
import { hpaModule } from './modules/autoscaling.js';
import { networkPolicyModule } from './modules/networking.js';
import { leaseModule } from './modules/coordination.js';
import { serviceAccountModule } from './modules/core-serviceaccount.js';
import { limitRangeModule, resourceQuotaModule } from './modules/tenancy.js';
import { clusterRoleBindingModule, clusterRoleModule, roleBindingModule, roleModule } from './modules/rbac.js';
import { runtimeClassModule } from './modules/node.js';
import { clusterImagePolicyModule } from './modules/policy.js';

export type { KindModule } from './module.js';

/** Every kind, in the order lcctl lists them (core, scheduling, config, apps, batch, Lantern's, autoscaling). */
export const kindModules: readonly KindModule<ApiObject>[] = [
  podModule, nodeModule, eventModule, priorityClassModule, podGroupModule, configMapModule, secretModule,
  deploymentModule, replicaSetModule, statefulSetModule, daemonSetModule, controllerRevisionModule, jobModule, cronJobModule, queueModule, workflowModule, hpaModule, networkModule, serviceModule, endpointSliceModule, networkPolicyModule,
  persistentVolumeModule, persistentVolumeClaimModule, storageClassModule, namespaceModule, leaseModule,
  serviceAccountModule,
  roleModule, clusterRoleModule, roleBindingModule, clusterRoleBindingModule,
  runtimeClassModule,
  clusterImagePolicyModule,
  resourceQuotaModule, limitRangeModule,
];

/** Every kind by URL resource name ("pods"). */
export const kinds: ReadonlyMap<string, KindModule> = new Map(kindModules.map((k) => [k.resource, k]));
