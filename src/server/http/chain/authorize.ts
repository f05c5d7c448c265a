/**
 * The authorization step: the checks a route needs before its handler starts (a stream cannot turn
 * into a 403 once it has begun). Object reads and writes are checked again, per call and with the
 * stored object at hand, by authorizedClient (authz.ts) in the dispatch step; the rule table in
 * authz.ts stays the whole policy.
 */
import { ApiError } from '../../../api/errors.js';
import type { Identity } from '../auth.js';
import type { ApiClient } from '../../../client/types.js';
import { authorize, nodeNameOf, withNodeFacts } from '../authz.js';
import { tunnelNode } from '../../tunnel/serve-tunnel.js';
import { authorizeRelay, relayNode } from '../../tunnel/relay.js';
import type { RequestInfo } from './request-info.js';

const ns = (info: RequestInfo): string => info.namespace === '' ? 'default' : info.namespace;

/** Throw Forbidden unless ID may make the (non-upgrade) request INFO describes (api: what a node's pods reference). */
export async function authorizeRequest(id: Identity, info: RequestInfo, api: ApiClient): Promise<void> {
  // The join (join.ts) and the credential routes (credentials-api.ts) authorize themselves: the
  // join needs the node name in its body.
  if (!info.isResourceRequest) return;
  if (info.resource === 'images' && info.apiGroup === 'lantern.dev') { authorize(id, { verb: 'images', resource: 'images' }); return; }
  if (info.resource === 'pods' && info.name !== '' && (info.subresource === 'log' || info.subresource === 'stats')) {
    authorize(id, { verb: info.subresource, resource: 'pods', namespace: ns(info), name: info.name });
    return;
  }
  // An eviction is a delete with its own permission (as Kubernetes' create pods/eviction): authz.ts gives it to the admin alone.
  if (info.resource === 'pods' && info.name !== '' && info.subresource === 'eviction') {
    authorize(id, { verb: 'create', resource: 'pods/eviction', namespace: ns(info), name: info.name });
    return;
  }
  // RBAC names PATCH `patch` (the write itself is then checked as an update by authorizedClient).
  if (id.role === 'user' && info.verb === 'patch') {
    const d = id.authorizer?.decide(id, { verb: 'patch', resource: info.subresource === '' ? info.resource : `${info.resource}/${info.subresource}`, namespace: info.namespace === '' ? undefined : info.namespace, name: info.name });
    if (d?.allowed !== true) throw new ApiError('Forbidden', d?.reason ?? `User "${id.name}" cannot patch resource "${info.resource}": no authorizer`);
  }
  if (info.verb === 'watch' && info.name === '') {
    // The watch answers 200 before it starts: check here so a refusal is a plain 403.
    authorize(id, await withNodeFacts(api, id, { verb: 'watch', resource: info.resource, namespace: info.namespace === '' ? undefined : info.namespace, fieldSelector: info.query.get('fieldSelector') ?? undefined }));
  }
}

/** Throw Forbidden unless ID may open the upgraded connection INFO describes (NotFound for no such route). */
export function authorizeUpgrade(id: Identity, info: RequestInfo): void {
  const tunnelFor = tunnelNode(info.path);
  if (tunnelFor !== undefined) {
    authorize(id, { verb: 'tunnel', resource: 'nodes', name: tunnelFor });
    // Even an admin may not pose as a node: only system:node:NAME carries NAME's pod traffic.
    if (nodeNameOf(id) !== tunnelFor) throw new ApiError('Forbidden', `${id.name} may not open the tunnel of node "${tunnelFor}": only that node's own credential may`);
    return;
  }
  // HA: another server relaying logs/exec to a node whose tunnel this server holds (tunnel/relay.ts).
  const relayFor = relayNode(info.path);
  if (relayFor !== undefined) { authorizeRelay(id, relayFor); return; }
  const sub = info.subresource;
  if (info.resource !== 'pods' || info.name === '' || (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward')) return;
  authorize(id, { verb: sub, resource: 'pods', namespace: ns(info), name: info.name });
}
