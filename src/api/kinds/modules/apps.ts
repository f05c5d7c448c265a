/**
 * The apps/v1 group: Deployment and ReplicaSet, with the scale subresource. Each kind's module:
 * names, scope, subresources, fields, and where its table and describe view are.
 */
import type { Deployment, ReplicaSet } from '../../schema/apps.js';
import type { StatefulSet } from '../../schema/statefulset.js';
import type { DaemonSet } from '../../schema/daemonset.js';
import type { ControllerRevision } from '../../schema/controllerrevision.js';
import { defineKind, type ScaleSubresource } from '../module.js';

const scale: ScaleSubresource = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.spec.selector' };

const fields = (o: { metadata: { name: string; namespace?: string } }): Record<string, string> =>
  ({ 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' });

/** The Deployment module. */
export const deploymentModule = defineKind<Deployment>({
  kind: 'Deployment', resource: 'deployments', singular: 'deployment', shortNames: ['deploy'], namespaced: true, group: 'apps', version: 'v1',
  subresources: { status: true, scale },
  selectableFields: fields,
  table: async () => (await import('../../printers/apps.js')).deploymentTable,
  describe: async () => (await import('../../printers/deployment-describe.js')).deploymentDescriber,
});

/** The ReplicaSet module. */
export const replicaSetModule = defineKind<ReplicaSet>({
  kind: 'ReplicaSet', resource: 'replicasets', singular: 'replicaset', shortNames: ['rs'], namespaced: true, group: 'apps', version: 'v1',
  subresources: { status: true, scale },
  selectableFields: fields,
  table: async () => (await import('../../printers/apps.js')).replicaSetTable,
});

/** The StatefulSet module (scale subresource: `lcctl scale sts/NAME`). */
export const statefulSetModule = defineKind<StatefulSet>({
  kind: 'StatefulSet', resource: 'statefulsets', singular: 'statefulset', shortNames: ['sts'], namespaced: true, group: 'apps', version: 'v1',
  subresources: { status: true, scale },
  selectableFields: fields,
  table: async () => (await import('../../printers/statefulset.js')).statefulSetTable,
  describe: async () => (await import('../../printers/statefulset.js')).statefulSetDescriber,
});

/** The DaemonSet module. */
export const daemonSetModule = defineKind<DaemonSet>({
  kind: 'DaemonSet', resource: 'daemonsets', singular: 'daemonset', shortNames: ['ds'], namespaced: true, group: 'apps', version: 'v1',
  subresources: { status: true },
  selectableFields: fields,
  table: async () => (await import('../../printers/daemonset.js')).daemonSetTable,
  describe: async () => (await import('../../printers/daemonset.js')).daemonSetDescriber,
});

/** The ControllerRevision module: StatefulSet and DaemonSet history (`lcctl rollout history|undo`). */
export const controllerRevisionModule = defineKind<ControllerRevision>({
  kind: 'ControllerRevision', resource: 'controllerrevisions', singular: 'controllerrevision', shortNames: [], namespaced: true, group: 'apps', version: 'v1',
  subresources: { status: false },
  selectableFields: fields,
  table: async () => (await import('../../printers/controllerrevision.js')).controllerRevisionTable,
});
