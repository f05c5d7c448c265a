/** `get clusterimagepolicies`: NAME MODE IMAGES AGE (policy-controller prints no table; these say what a policy covers). */
import type { ClusterImagePolicy } from '../schema/cluster-image-policy.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME MODE IMAGES AGE (AUTHORITIES with -o wide: key or keyless per authority); never LABELS. */
export const clusterImagePolicyTable: TableDefinition<ClusterImagePolicy> = {
  columns: [
    nameColumn,
    column<ClusterImagePolicy>('Mode', (p) => p.spec.mode ?? 'enforce'),
    column<ClusterImagePolicy>('Images', (p) => p.spec.images.map((i) => i.glob).join(',')),
    ageColumn,
    column<ClusterImagePolicy>('Authorities', (p) => p.spec.authorities.map((a, i) => `${a.name ?? `authority-${i}`}(${a.keyless ? 'keyless' : 'key'})`).join(','), 1),
  ],
  labelsColumn: false,
};
