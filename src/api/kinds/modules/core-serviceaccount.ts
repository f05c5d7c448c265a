/** The ServiceAccount kind (core v1, namespaced), beside core.ts: its module, with the token subresource for discovery. */
import type { ServiceAccount } from '../../schema/service-account.js';
import { defineKind } from '../module.js';

/** The ServiceAccount kind (core v1, namespaced): an identity for pods; POST .../serviceaccounts/NAME/token issues its tokens. */
export const serviceAccountModule = defineKind<ServiceAccount>({
  kind: 'ServiceAccount', resource: 'serviceaccounts', singular: 'serviceaccount', shortNames: ['sa'], namespaced: true, group: '', version: 'v1',
  subresources: { status: false, other: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }] },
  selectableFields: (sa) => ({ 'metadata.name': sa.metadata.name, 'metadata.namespace': sa.metadata.namespace ?? 'default' }),
});
