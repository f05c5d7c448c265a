import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { JoinTokens } from '../join-tokens.js';
import type { NodeCredentials } from '../node-credentials.js';
import type { Identity } from './auth.js';
import { authorize } from './authz.js';
import { readObject } from './body.js';
import { sendJson } from './respond.js';

/** What a rotation answers: the new admin token and the client config the server wrote with it. */
export interface RotatedAdminToken { token: string; config: string }

/** What the credential routes work on. */
export interface CredentialsApiDeps {
  joinTokens: JoinTokens;
  nodeCredentials: NodeCredentials;
  /** Replace the admin token (the old one stops working) and rewrite DATA_DIR/admin-token and admin.yaml. */
  rotateAdminToken?: () => Promise<RotatedAdminToken>;
}

const base = '/apis/lantern.dev/v1/';
const pathPattern = /^\/apis\/lantern\.dev\/v1\/(jointokens|nodecredentials|admintoken)(?:\/([^/]+))?$/;

/** Whether a path is one of the credential routes (served by serveCredentialsApi). */
export function isCredentialsPath(pathname: string): boolean {
  return pathPattern.test(pathname);
}

const maxDescription = 256;

function createOptions(input: unknown): { ttlSeconds: number; description: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ApiError('BadRequest', 'the body must be an object: {"ttlSeconds": 86400, "description": "..."}');
  const body = input as { ttlSeconds?: unknown; description?: unknown };
  const ttl = body.ttlSeconds ?? 86_400;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 10 * 365 * 86_400) {
    throw new ApiError('Invalid', `ttlSeconds: ${JSON.stringify(ttl)} is not a whole number of seconds from 0 (never expires) to 10 years`, { causes: [{ field: 'ttlSeconds', message: 'invalid' }] });
  }
  const description = body.description ?? '';
  if (typeof description !== 'string' || description.length > maxDescription || /[\u0000-\u001f\u007f]/.test(description)) {
    throw new ApiError('Invalid', `description: must be text of at most ${maxDescription} characters without control characters`, { causes: [{ field: 'description', message: 'invalid' }] });
  }
  return { ttlSeconds: ttl, description };
}

const success = (message: string): Record<string, unknown> => ({ kind: 'Status', apiVersion: 'v1', status: 'Success', message });

/**
 * Join tokens, node credentials and the admin token, for the admin (no rule lets a node or a join
 * token near them):
 *
 *   GET    /apis/lantern.dev/v1/jointokens              list (no secrets)
 *   POST   /apis/lantern.dev/v1/jointokens              {ttlSeconds, description} -> the token, once
 *   DELETE /apis/lantern.dev/v1/jointokens/ID
 *   GET    /apis/lantern.dev/v1/nodecredentials         list
 *   DELETE /apis/lantern.dev/v1/nodecredentials/NAME    revoke: the node's requests get 401, its tunnel closes
 *   POST   /apis/lantern.dev/v1/admintoken/rotate       -> the new token and admin.yaml
 */
export async function serveCredentialsApi(deps: CredentialsApiDeps, id: Identity, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
  const m = pathPattern.exec(pathname);
  if (!m) throw new ApiError('NotFound', `no credential route ${pathname}`);
  const resource = m[1]!;
  const name = m[2];
  if (name !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) throw new ApiError('NotFound', `no ${resource} named ${JSON.stringify(name)}`);
  const method = req.method ?? 'GET';
  const refuse = (allowed: string): never => { throw new ApiError('MethodNotAllowed', `${method} is not allowed on ${pathname}: use ${allowed}`); };

  if (resource === 'admintoken') {
    if (name !== 'rotate') throw new ApiError('NotFound', `no route ${pathname}: rotate the admin token with POST ${base}admintoken/rotate`);
    if (method !== 'POST') refuse(`POST ${base}admintoken/rotate`);
    authorize(id, { verb: 'rotate', resource: 'admintoken' });
    if (!deps.rotateAdminToken) throw new ApiError('BadRequest', 'this server cannot rotate its admin token');
    const rotated = await deps.rotateAdminToken();
    sendJson(res, 200, { kind: 'AdminToken', apiVersion: 'lantern.dev/v1', ...rotated });
    return;
  }

  if (resource === 'jointokens') {
    if (name === undefined && method === 'GET') {
      authorize(id, { verb: 'list', resource });
      sendJson(res, 200, { kind: 'JoinTokenList', apiVersion: 'lantern.dev/v1', items: await deps.joinTokens.list() });
    } else if (name === undefined && method === 'POST') {
      authorize(id, { verb: 'create', resource });
      const created = await deps.joinTokens.create(createOptions(await readObject(req)));
      sendJson(res, 201, { kind: 'JoinToken', apiVersion: 'lantern.dev/v1', ...created });
    } else if (name !== undefined && method === 'DELETE') {
      authorize(id, { verb: 'delete', resource, name });
      await deps.joinTokens.delete(name);
      sendJson(res, 200, success(`join token "${name}" deleted`));
    } else {
      refuse(name === undefined ? 'GET or POST' : 'DELETE');
    }
    return;
  }

  if (name === undefined && method === 'GET') {
    authorize(id, { verb: 'list', resource });
    sendJson(res, 200, { kind: 'NodeCredentialList', apiVersion: 'lantern.dev/v1', items: await deps.nodeCredentials.list() });
  } else if (name !== undefined && method === 'DELETE') {
    authorize(id, { verb: 'delete', resource, name });
    if (!await deps.nodeCredentials.revoke(name)) {
      throw new ApiError('NotFound', `node "${name}" has no credential: list them with "lcctl node credentials"`, { kind: 'NodeCredential', name });
    }
    sendJson(res, 200, success(`the credential of node "${name}" is revoked and its node secret forgotten; its connections are closed`));
  } else {
    refuse(name === undefined ? 'GET' : 'DELETE');
  }
}
