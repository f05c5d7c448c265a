/** RBAC: the default ClusterRoles stored, the four kinds followed into memory, and the authorizer attached to users. */
import { RbacAuthorizer } from '../../server/rbac/authorizer.js';
import { ensureDefaultRbac } from '../../server/rbac/defaults.js';
import { followRbac } from '../../server/rbac/source.js';
import type { ServerConfig } from '../server-config.js';
import type { Component } from './component.js';
import { apiKey, credentialsKey, informersKey, rbacKey } from './keys.js';

/** Every 'user' identity's requests are decided by this authorizer from the start of the API server on. */
export const rbac: Component<ServerConfig, RbacAuthorizer> = {
  key: rbacKey,
  requires: [apiKey, informersKey, credentialsKey],
  async start({ get }) {
    await ensureDefaultRbac(get(apiKey));
    const authorizer = new RbacAuthorizer();
    await followRbac(get(informersKey), authorizer.index);
    get(credentialsKey).auth.userAuthorizer = authorizer;
    return { value: authorizer };
  },
};
