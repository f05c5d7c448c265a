/**
 * The networking.k8s.io/v1 group: NetworkPolicy. Each kind's module: names, scope, subresources,
 * fields, and where its table and describe view are.
 */
import type { NetworkPolicy } from '../../schema/network-policy.js';
import { defineKind } from '../module.js';

/** The NetworkPolicy kind (networking.k8s.io/v1, namespaced): what traffic selected pods accept and send. */
export const networkPolicyModule = defineKind<NetworkPolicy>({
  kind: 'NetworkPolicy', resource: 'networkpolicies', singular: 'networkpolicy', shortNames: ['netpol'], namespaced: true, group: 'networking.k8s.io', version: 'v1',
  subresources: { status: false },
  selectableFields: (o) => ({ 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' }),
  table: async () => (await import('../../printers/network-policy.js')).networkPolicyTable,
  describe: async () => (await import('../../printers/network-policy.js')).networkPolicyDescriber,
});
