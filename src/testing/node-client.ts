/** Tests only: the API as node NAME may use it over HTTP (the rule table and node restriction), for agent-side tests. */
import type { ApiClient } from '../client/types.js';
import { authorizedClient } from '../server/http/authz.js';

/** admin seen through node `name`'s identity (system:node:NAME): what that node's agent may read and write. */
export function nodeClient(admin: ApiClient, name: string): ApiClient {
  return authorizedClient(admin, { name: `system:node:${name}`, role: 'node' });
}
