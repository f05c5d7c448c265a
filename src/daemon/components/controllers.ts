/**
 * The controllers `lanternd server` runs, one component each: a declaration only calls the
 * controller's constructor with its flags; the controller's start() and stop() do the rest.
 */
import path from 'node:path';
import { NodeLifecycleController } from '../../controllers/node-lifecycle/index.js';
import { EventTtlController } from '../../controllers/event-ttl/index.js';
import { ReplicaSetController } from '../../controllers/replicaset/index.js';
import { DeploymentController } from '../../controllers/deployment/index.js';
import { JobController } from '../../controllers/job/index.js';
import { WorkflowController } from '../../controllers/workflow/index.js';
import { HpaController } from '../../controllers/hpa/index.js';
import { QueueController } from '../../controllers/queue/index.js';
import { EndpointSliceController } from '../../controllers/endpointslice/index.js';
import { PersistentVolumeController } from '../../controllers/persistent-volume/index.js';
import { serverProvisioners } from '../storage-provisioners.js';
import { PvcProtectionController } from '../../controllers/pvc-protection/index.js';
import { StatefulSetController } from '../../controllers/statefulset/index.js';
import { DaemonSetController } from '../../controllers/daemonset/index.js';
import { CronJobController } from '../../controllers/cronjob/index.js';
import { NamespaceController } from '../../controllers/namespace/index.js';
import { ServiceAccountController } from '../../controllers/service-account/controller.js';
import { MetricsApi } from '../../server/http/metrics-api.js';
import { podLogReader } from '../workflow-logs.js';
import { podCpuFromMetricsApi } from '../hpa-metrics.js';
import type { ServerConfig } from '../server-config.js';
import { ResourceQuotaController } from '../../controllers/resource-quota/index.js';
import { key, started, type Component, type Key, type StartContext, type Startable } from './component.js';
import { apiKey, informersKey, nodesKey } from './keys.js';

/** A controller component named `id` that requires the API and the shared informers (and `more`) and runs what `make` constructs. */
function controller<T extends Startable>(id: string, make: (ctx: StartContext<ServerConfig>) => T, more: readonly Key<unknown>[] = []): Component<ServerConfig, T> {
  return { key: key<T>(id), requires: [apiKey, informersKey, ...more], start: (ctx) => started(make(ctx)) };
}

/** Node heartbeats: Ready=Unknown after --node-monitor-grace, evictions after --pod-eviction-timeout. */
export const nodeLifecycleController = controller('node-lifecycle-controller', ({ get, config }) =>
  new NodeLifecycleController({ api: get(apiKey), informers: get(informersKey), nodeMonitorGraceMs: config.nodeMonitorGraceMs, podEvictionTimeoutMs: config.podEvictionTimeoutMs }));

/** Jobs, with --job-backoff and --job-backoff-max. */
export const jobController = controller('job-controller', ({ get, config }) =>
  new JobController({ api: get(apiKey), informers: get(informersKey), backoffMs: config.jobBackoffMs, backoffMaxMs: config.jobBackoffMaxMs }));

/** Workflows: step outputs read from their pods' logs through the node registry; shared volumes under DATA_DIR/workflows. */
export const workflowController = controller('workflow-controller', ({ get, config }) =>
  new WorkflowController({ api: get(apiKey), informers: get(informersKey), readLog: podLogReader(get(apiKey), get(nodesKey)), hostRoot: path.join(config.dataDir, 'workflows') }), [nodesKey]);

/** ReplicaSets. */
export const replicaSetController = controller('replicaset-controller', ({ get }) => new ReplicaSetController({ api: get(apiKey), informers: get(informersKey) }));

/** Deployments. */
export const deploymentController = controller('deployment-controller', ({ get }) => new DeploymentController({ api: get(apiKey), informers: get(informersKey) }));

/** The autoscaler reads pod CPU as `lcctl top pods` does, through its own MetricsApi (its own scrape pairs). */
export const hpaController = controller('hpa-controller', ({ get, config }) =>
  new HpaController({ api: get(apiKey), informers: get(informersKey), metrics: podCpuFromMetricsApi(new MetricsApi(get(nodesKey))), syncPeriodMs: config.hpaSyncMs }), [nodesKey]);

/** Queues. */
export const queueController = controller('queue-controller', ({ get }) => new QueueController({ api: get(apiKey), informers: get(informersKey) }));

/** Services' EndpointSlices, from the Ready pods their selectors pick. */
export const endpointSliceController = controller('endpointslice-controller', ({ get }) => new EndpointSliceController({ api: get(apiKey), informers: get(informersKey) }));

/** Events are deleted --event-ttl after they last happened. */
export const eventTtlController = controller('event-ttl-controller', ({ get, config }) => new EventTtlController({ api: get(apiKey), ttlMs: config.eventTtlMs }));

/** StatefulSets: NAME-i pods with their claims, ordered rollout and partitions. */
export const statefulSetController = controller('statefulset-controller', ({ get }) => new StatefulSetController({ api: get(apiKey), informers: get(informersKey) }));

/** DaemonSets: one pod per matching node, placed through the scheduler. */
export const daemonSetController = controller('daemonset-controller', ({ get }) => new DaemonSetController({ api: get(apiKey), informers: get(informersKey) }));

/** PersistentVolumes and claims: binding, provisioning (local-path), reclaiming, expansion; makes the default class local-path. */
export const persistentVolumeController = controller('persistentvolume-controller', ({ get, config }) => new PersistentVolumeController({ api: get(apiKey), informers: get(informersKey), provisioners: serverProvisioners(config.dataDir) }));

/** pvc-protection and pv-protection: a claim in use is not deleted under its pod. */
export const pvcProtectionController = controller('pvc-protection-controller', ({ get }) => new PvcProtectionController({ api: get(apiKey), informers: get(informersKey) }));

/** CronJobs: Jobs on a cron schedule. */
export const cronJobController = controller('cronjob-controller', ({ get }) => new CronJobController({ api: get(apiKey), informers: get(informersKey) }));

/** Namespaces: a deleted one is emptied (Terminating), then removed. */
export const namespaceController = controller('namespace-controller', ({ get }) => new NamespaceController({ api: get(apiKey), informers: get(informersKey) }));
/** ServiceAccounts: every namespace has a `default` one. */
export const serviceAccountController = controller('serviceaccount-controller', ({ get }) => new ServiceAccountController({ api: get(apiKey), informers: get(informersKey) }));
/** ResourceQuotas: status.used is what the namespace's objects use (admission charges, this gives back). */
export const resourceQuotaController = controller('resourcequota-controller', ({ get }) => new ResourceQuotaController({ api: get(apiKey), informers: get(informersKey) }));

/** Every controller, in the order the server starts them. */
export const controllers: readonly Component<ServerConfig, unknown>[] = [
  nodeLifecycleController, jobController, workflowController, replicaSetController,
  deploymentController, hpaController, queueController, eventTtlController, endpointSliceController, persistentVolumeController, pvcProtectionController,
  statefulSetController, daemonSetController, cronJobController, namespaceController, serviceAccountController,
  resourceQuotaController,
];
