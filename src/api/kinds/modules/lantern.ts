/**
 * Lantern's own group (lantern.dev/v1): PodGroup, Queue, Workflow. Each kind's module: names,
 * scope, subresources, fields, and where its table and describe view are.
 */
import type { PodGroup } from '../../schema/pod-group.js';
import type { Queue } from '../../schema/queue.js';
import type { Workflow } from '../../schema/workflow.js';
import type { Network } from '../../schema/network.js';
import { defineKind } from '../module.js';

/** The PodGroup kind (lantern.dev/v1, namespaced): a gang of pods scheduled all or nothing. */
export const podGroupModule = defineKind<PodGroup>({
  kind: 'PodGroup', resource: 'podgroups', singular: 'podgroup', shortNames: ['pg'], namespaced: true, group: 'lantern.dev', version: 'v1',
  subresources: { status: true },
  selectableFields: (pg) => ({ 'metadata.name': pg.metadata.name, 'metadata.namespace': pg.metadata.namespace ?? '' }),
  table: async () => (await import('../../printers/scheduling.js')).podGroupTable,
});

/** The Queue kind (lantern.dev/v1, cluster-scoped): a share of the cluster that Jobs wait in. */
export const queueModule = defineKind<Queue>({
  kind: 'Queue', resource: 'queues', singular: 'queue', shortNames: ['q'], namespaced: false, group: 'lantern.dev', version: 'v1',
  subresources: { status: true },
  selectableFields: (q) => ({ 'metadata.name': q.metadata.name }),
  table: async () => (await import('../../printers/queue.js')).queueTable,
  describe: async () => (await import('../../printers/queue.js')).queueDescriber,
});

/** The Workflow kind (lantern.dev/v1, namespaced): a DAG of Job steps. */
export const workflowModule = defineKind<Workflow>({
  kind: 'Workflow', resource: 'workflows', singular: 'workflow', shortNames: ['wf'], namespaced: true, group: 'lantern.dev', version: 'v1',
  subresources: { status: true },
  selectableFields: (o) => ({ 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' }),
  table: async () => (await import('../../printers/workflow.js')).workflowTable,
});

/** The Network kind (lantern.dev/v1, cluster-scoped): a user-defined network (lcctl network create). */
export const networkModule = defineKind<Network>({
  kind: 'Network', resource: 'networks', singular: 'network', shortNames: ['net'], namespaced: false, group: 'lantern.dev', version: 'v1',
  subresources: { status: false },
  selectableFields: (n) => ({ 'metadata.name': n.metadata.name, 'spec.driver': n.spec.driver }),
  table: async () => (await import('../../printers/network.js')).networkTable,
});
