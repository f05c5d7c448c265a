/**
 * The policy.lantern.dev/v1alpha1 group: ClusterImagePolicy (which images need which signing keys,
 * enforced by every node before a container starts; sigstore policy-controller's shape).
 */
import type { ClusterImagePolicy } from '../../schema/cluster-image-policy.js';
import { defineKind } from '../module.js';

/** The ClusterImagePolicy kind (policy.lantern.dev/v1alpha1, cluster-scoped). */
export const clusterImagePolicyModule = defineKind<ClusterImagePolicy>({
  kind: 'ClusterImagePolicy', resource: 'clusterimagepolicies', singular: 'clusterimagepolicy', shortNames: ['cip'], namespaced: false, group: 'policy.lantern.dev', version: 'v1alpha1',
  subresources: { status: false },
  selectableFields: (p) => ({ 'metadata.name': p.metadata.name }),
  table: async () => (await import('../../printers/cluster-image-policy.js')).clusterImagePolicyTable,
});
