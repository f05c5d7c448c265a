import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { EncryptionStatus, ReencryptResult, RotateResult } from '../encryption/status.js';
import type { Identity } from './auth.js';
import { authorize } from './authz.js';
import { sendJson } from './respond.js';

/** What the routes work on (SecretsEncryption). */
export interface SecretsEncryptionAdmin {
  status(): Promise<EncryptionStatus>;
  rotateKeys(): Promise<RotateResult>;
  reencrypt(opts: { keepOldKeys?: boolean }): Promise<ReencryptResult>;
}

/** The routes' base path; `lanternd secrets-encrypt` calls them. */
export const secretsEncryptionPath = '/apis/lantern.dev/v1/secrets-encryption';

/** Whether a path is one of the secrets-encryption routes (served by serveSecretsEncryption). */
export const isSecretsEncryptionPath = (pathname: string): boolean =>
  pathname === secretsEncryptionPath || pathname.startsWith(`${secretsEncryptionPath}/`);

/**
 * Secrets encryption at rest, for the admin only (no rule of authz.ts names the resource, as with
 * k3s' /v1-k3s/encrypt/* routes, which need the server token):
 *
 *   GET  /apis/lantern.dev/v1/secrets-encryption                      -> EncryptionStatus
 *   POST /apis/lantern.dev/v1/secrets-encryption/rotate-keys          -> RotateResult
 *   POST /apis/lantern.dev/v1/secrets-encryption/reencrypt[?skip=true] -> ReencryptResult (skip: keep old keys)
 */
export async function serveSecretsEncryption(enc: SecretsEncryptionAdmin, id: Identity, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const op = url.pathname.slice(secretsEncryptionPath.length);
  const method = req.method ?? 'GET';
  const allow = (expected: string): void => {
    if (method !== expected) throw new ApiError('MethodNotAllowed', `${method} ${url.pathname}: use ${expected}`);
  };
  if (op === '') {
    allow('GET');
    authorize(id, { verb: 'get', resource: 'secrets-encryption' });
    sendJson(res, 200, await enc.status());
    return;
  }
  if (op === '/rotate-keys' || op === '/reencrypt') {
    allow('POST');
    authorize(id, { verb: 'update', resource: 'secrets-encryption' });
    const skip = url.searchParams.get('skip') ?? 'false';
    if (skip !== 'true' && skip !== 'false') throw new ApiError('BadRequest', `skip=${JSON.stringify(skip)}: use true or false`);
    sendJson(res, 200, op === '/rotate-keys' ? await enc.rotateKeys() : await enc.reencrypt({ keepOldKeys: skip === 'true' }));
    return;
  }
  throw new ApiError('NotFound', `no secrets-encryption operation "${op.slice(1)}": use GET ${secretsEncryptionPath}, or POST .../rotate-keys or .../reencrypt`);
}
