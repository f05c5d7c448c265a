/**
 * The autoscaling/v2 group: HorizontalPodAutoscaler. Each kind's module: names, scope,
 * subresources, fields, and where its table and describe view are.
 */
import type { HorizontalPodAutoscaler } from '../../schema/hpa.js';
import { defineKind } from '../module.js';

/** The HorizontalPodAutoscaler kind (autoscaling/v2, namespaced): scales a Deployment or ReplicaSet on its pods' CPU. */
export const hpaModule = defineKind<HorizontalPodAutoscaler>({
  kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', shortNames: ['hpa'], namespaced: true, group: 'autoscaling', version: 'v2',
  subresources: { status: true },
  selectableFields: (o) => ({ 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' }),
  table: async () => (await import('../../printers/hpa.js')).hpaTable,
  describe: async () => (await import('../../printers/hpa.js')).hpaDescriber,
});
