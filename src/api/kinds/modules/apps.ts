/**
 * The apps/v1 group: Deployment and ReplicaSet, with the scale subresource. Each kind's module:
 * names, scope, subresources, fields, and where its table and describe view are.
 */
import type { Deployment, ReplicaSet } from '../../schema/apps.js';
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
