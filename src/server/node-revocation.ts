import type { ApiObject, WatchEvent } from '../api/meta.js';
import type { ApiClient, DeleteOptions, ListOptions, WatchOptions, WriteOptions } from '../client/types.js';
import type { NodeCredentials } from './node-credentials.js';

/**
 * The API as the HTTP server offers it, where deleting a Node also revokes its credential and
 * forgets its node secret, before the delete answers (no watcher that may lag): the node's next
 * request is a 401 and its open connections, tunnel included, are cut. The credential goes first,
 * so the node cannot create its Node again in between.
 */
export function revokeOnNodeDelete(api: ApiClient, credentials: NodeCredentials): ApiClient {
  return {
    create: <T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions) => api.create<T>(resource, obj, opts),
    get: <T extends ApiObject>(resource: string, name: string, namespace?: string) => api.get<T>(resource, name, namespace),
    list: <T extends ApiObject>(resource: string, namespace?: string, opts?: ListOptions) => api.list<T>(resource, namespace, opts),
    update: <T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions) => api.update<T>(resource, obj, opts),
    updateStatus: <T extends ApiObject>(resource: string, obj: T) => api.updateStatus<T>(resource, obj),
    watch: <T extends ApiObject>(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void) => api.watch<T>(resource, namespace, opts, onEvent),
    bind: (namespace: string, pod: string, node: string) => api.bind(namespace, pod, node),
    async delete<T extends ApiObject>(resource: string, name: string, namespace?: string, opts?: DeleteOptions): Promise<T> {
      if (resource === 'nodes') {
        await api.get('nodes', name); // a NotFound answers without touching the credential
        await credentials.revoke(name);
      }
      return api.delete<T>(resource, name, namespace, opts);
    },
  };
}
