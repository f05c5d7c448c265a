/** `get deployments` and `get replicasets` as kubectl prints them; -o wide adds what they run. */
import type { ApiObject } from '../meta.js';
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../schema/apps.js';
import type { LabelSelector } from '../schema/pod.js';
import { ageColumn, column, nameColumn, type TableColumn, type TableDefinition } from './table.js';
import { selectorString } from './labels.js';

type Templated = ApiObject & { spec: { template: PodTemplateSpec; selector?: LabelSelector } };

/** CONTAINERS IMAGES SELECTOR: the -o wide columns of every kind that makes pods from a template. */
export const templateColumns: readonly TableColumn<Templated>[] = [
  column<Templated>('Containers', (x) => x.spec.template.spec.containers.map((c) => c.name).join(','), 1),
  column<Templated>('Images', (x) => x.spec.template.spec.containers.map((c) => c.image).join(','), 1),
  column<Templated>('Selector', (x) => selectorString(x.spec.selector), 1),
];

/** NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES SELECTOR]. */
export const deploymentTable: TableDefinition<Deployment> = {
  columns: [
    nameColumn,
    column<Deployment>('Ready', (d) => `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`),
    column<Deployment>('Up-to-date', (d) => String(d.status?.updatedReplicas ?? 0), 0, 'integer'),
    column<Deployment>('Available', (d) => String(d.status?.availableReplicas ?? 0), 0, 'integer'),
    ageColumn,
    ...templateColumns,
  ],
};

/** NAME DESIRED CURRENT READY AGE [CONTAINERS IMAGES SELECTOR]. */
export const replicaSetTable: TableDefinition<ReplicaSet> = {
  columns: [
    nameColumn,
    column<ReplicaSet>('Desired', (r) => String(r.spec.replicas ?? 1), 0, 'integer'),
    column<ReplicaSet>('Current', (r) => String(r.status?.replicas ?? 0), 0, 'integer'),
    column<ReplicaSet>('Ready', (r) => String(r.status?.readyReplicas ?? 0), 0, 'integer'),
    ageColumn,
    ...templateColumns,
  ],
};

/** The ReplicaSets a Deployment controls (by uid), oldest revision first. */
export function controlledReplicaSets(d: Deployment, all: readonly ReplicaSet[]): ReplicaSet[] {
  const rev = (r: ReplicaSet): number => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '0');
  return all.filter((r) => r.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid)).sort((a, b) => rev(a) - rev(b));
}
