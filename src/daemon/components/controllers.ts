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
import { MetricsApi } from '../../server/http/metrics-api.js';
import { podLogReader } from '../workflow-logs.js';
import { podCpuFromMetricsApi } from '../hpa-metrics.js';
import type { ServerConfig } from '../server-config.js';
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

/** Every controller, in the order the server starts them. */
export const controllers: readonly Component<ServerConfig, unknown>[] = [
  nodeLifecycleController, jobController, workflowController, replicaSetController,
  deploymentController, hpaController, queueController, eventTtlController, endpointSliceController,
];
