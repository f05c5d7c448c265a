/**
 * POST /apis/lantern.dev/v1/servers/join (the admin token only, i.e. the secret of DATA_DIR/server-token):
 * adds the caller's etcd member as a learner and answers what a further server needs to be an equal
 * peer: the cluster CA and its key (to sign its own serving and etcd certificates), the admin and node
 * tokens (so every server accepts the same ones), the ServiceAccount token key, the secrets-encryption keys, and etcd's
 * --initial-cluster. Joins are one at a time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { Identity } from '../../server/http/auth.js';
import { authorize } from '../../server/http/authz.js';
import { readObject } from '../../server/http/body.js';
import { sendJson } from '../../server/http/respond.js';
import { encryptionConfigPath } from '../../server/encryption/secrets-encryption.js';
import { addLearner, type ClusterApi } from './members.js';

/** The route's path. */
export const serverJoinPath = '/apis/lantern.dev/v1/servers/join';

/** What a join sends. */
export interface ServerJoinRequest { name: string; peerURL: string }

/** What a join answers (secrets: sent once, over TLS the joiner pinned with the token's CA hash). */
export interface ServerBootstrap {
  kind: 'ServerBootstrap'; apiVersion: 'lantern.dev/v1';
  caCert: string; caKey: string; adminToken: string; nodeToken: string; encryptionConfig?: string;
  /** DATA_DIR/pki/service-account.key: every server signs and accepts the same ServiceAccount tokens. */
  serviceAccountKey?: string;
  memberId: string; initialCluster: string;
}

const memberName = /^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/;

/** Checks the body: a member name and an https peer URL (field path and what is expected on error). */
export function parseServerJoin(input: unknown): ServerJoinRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ApiError('BadRequest', 'the body must be an object: {"name": "...", "peerURL": "https://IP:2380"}');
  const { name, peerURL } = input as Record<string, unknown>;
  if (typeof name !== 'string' || !memberName.test(name)) {
    throw new ApiError('Invalid', `name: ${JSON.stringify(name)} is not a member name (1-63 lower-case letters, digits, '-' and '.')`, { causes: [{ field: 'name', message: 'invalid' }] });
  }
  if (typeof peerURL !== 'string' || !/^https:\/\/[a-z0-9.-]+:[0-9]{1,5}$/i.test(peerURL)) {
    throw new ApiError('Invalid', `peerURL: ${JSON.stringify(peerURL)} is not an etcd peer URL such as https://10.0.0.2:2380`, { causes: [{ field: 'peerURL', message: 'invalid' }] });
  }
  return { name, peerURL };
}

/** The handler the HTTP server calls for serverJoinPath. */
export function serverJoinHandler(dataDir: string, cluster: () => ClusterApi, onAdded?: (memberId: string) => void): (req: IncomingMessage, res: ServerResponse, caller: Identity) => Promise<void> {
  let queue: Promise<unknown> = Promise.resolve();
  return async (req, res, caller) => {
    if (req.method !== 'POST') throw new ApiError('MethodNotAllowed', `${req.method ?? 'GET'} is not allowed on ${serverJoinPath}: POST {"name": "...", "peerURL": "https://IP:2380"}`);
    authorize(caller, { verb: 'join', resource: 'servers' });
    // The answer holds the CA key: only the admin token (the server token's secret), never an RBAC grant.
    if (caller.role !== 'admin') throw new ApiError('Forbidden', `${caller.name} may not join servers: only the server token (DATA_DIR/server-token) may`);
    const body = parseServerJoin(await readObject(req));
    const run = queue.then(() => bootstrap(dataDir, cluster(), body));
    queue = run.catch(() => undefined);
    const answer = await run.catch((err: unknown) => {
      throw err instanceof ApiError ? err : new ApiError('Internal', `adding the etcd member failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    onAdded?.(answer.memberId);
    sendJson(res, 201, answer);
  };
}

async function bootstrap(dataDir: string, cluster: ClusterApi, body: ServerJoinRequest): Promise<ServerBootstrap> {
  const file = (p: string): Promise<string> => readFile(path.join(dataDir, p), 'utf8');
  const [caCert, caKey, adminToken, nodeToken] = await Promise.all([file('pki/ca.crt'), file('pki/ca.key'), file('admin-token'), file('node-token')]);
  const encryptionConfig = await readFile(encryptionConfigPath(dataDir), 'utf8').catch(() => undefined);
  const serviceAccountKey = await readFile(path.join(dataDir, 'pki', 'service-account.key'), 'utf8').catch(() => undefined);
  const added = await addLearner(cluster, body.name, body.peerURL);
  return {
    kind: 'ServerBootstrap', apiVersion: 'lantern.dev/v1',
    caCert, caKey, adminToken: adminToken.trim(), nodeToken: nodeToken.trim(),
    ...(encryptionConfig !== undefined ? { encryptionConfig } : {}),
    ...(serviceAccountKey !== undefined ? { serviceAccountKey } : {}),
    memberId: added.id, initialCluster: added.initialCluster,
  };
}
