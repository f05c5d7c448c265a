/**
 * ServiceAccount tokens (TokenRequest): ES256 JWTs signed with DATA_DIR/pki/service-account.key, as
 * kube-apiserver's bound tokens: sub system:serviceaccount:NS:NAME, aud, exp, and the kubernetes.io
 * claim naming the namespace, the ServiceAccount and, when bound, the pod (names and uids). A token
 * is accepted while unexpired, for the API's audience, and while its ServiceAccount (and pod) still
 * exist with the same uid: deleting either revokes it.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/types.js';
import type { Identity } from '../http/auth.js';
import { signJwt, verifyJwt } from './jwt.js';
import { serviceAccountGroups, serviceAccountUser } from './names.js';

/** The issuer, and the audience the API accepts (kube-apiserver's default --api-audiences is its issuer). */
export const apiAudience = 'https://kubernetes.default.svc.cluster.local';

/** What a token is for: its ServiceAccount and, when bound, its pod. */
export interface TokenSubject { namespace: string; name: string; uid: string; pod?: { name: string; uid: string } }

interface Claims { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown; 'kubernetes.io'?: { namespace?: unknown; serviceaccount?: { name?: unknown; uid?: unknown }; pod?: { name?: unknown; uid?: unknown } } }

/** Load the signing key from DATA_DIR/pki/service-account.key, making it at first start. */
export async function loadServiceAccountKey(dataDir: string): Promise<KeyObject> {
  const file = path.join(dataDir, 'pki', 'service-account.key');
  const pem = await readFile(file, 'utf8').catch(() => undefined);
  if (pem !== undefined) return createPrivateKey(pem);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Through a temp file: a server stopped half-way never leaves a broken key behind.
  await writeFile(`${file}.tmp`, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
  return privateKey;
}

/** Issues and checks ServiceAccount tokens. */
export class ServiceAccountTokens {
  private readonly kid: string;
  constructor(private readonly key: KeyObject, private readonly api: ApiClient, private readonly now: () => number = Date.now) {
    this.kid = createHash('sha256').update(createPublicKey(key).export({ type: 'spki', format: 'der' })).digest('base64url');
  }

  /** A token for SUBJECT valid for AUDIENCES during expirationSeconds. */
  issue(subject: TokenSubject, audiences: string[], expirationSeconds: number): { token: string; expirationTimestamp: string } {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + expirationSeconds;
    const k8s = {
      namespace: subject.namespace, serviceaccount: { name: subject.name, uid: subject.uid },
      ...(subject.pod ? { pod: subject.pod } : {}),
    };
    const claims = { iss: apiAudience, sub: serviceAccountUser(subject.namespace, subject.name), aud: audiences, iat, nbf: iat, exp, 'kubernetes.io': k8s };
    return { token: signJwt(claims, this.key, this.kid), expirationTimestamp: new Date(exp * 1000).toISOString() };
  }

  /** The ServiceAccount a token names; undefined for text that is not one of ours; Unauthorized when expired, for another audience, or revoked. */
  async identify(token: string | undefined): Promise<Identity | undefined> {
    if (token === undefined || !token.startsWith('eyJ')) return undefined;
    const c = verifyJwt(token, this.key) as Claims | undefined;
    if (c === undefined || c.iss !== apiAudience) return undefined;
    const k = c['kubernetes.io'];
    const ns = k?.namespace, name = k?.serviceaccount?.name, uid = k?.serviceaccount?.uid;
    if (typeof ns !== 'string' || typeof name !== 'string' || typeof uid !== 'string' || typeof c.exp !== 'number') return undefined;
    const who = serviceAccountUser(ns, name);
    if (c.exp * 1000 <= this.now()) throw new ApiError('Unauthorized', `the token of ${who} expired at ${new Date(c.exp * 1000).toISOString()}: request a new one (TokenRequest)`);
    const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
    if (!aud.includes(apiAudience)) throw new ApiError('Unauthorized', `the token of ${who} is for audiences ${JSON.stringify(aud)}, not this API (${apiAudience})`);
    if (await this.uidOf('serviceaccounts', name, ns) !== uid) throw new ApiError('Unauthorized', `the token of ${who} is no longer valid: its ServiceAccount was deleted`);
    const pod = k?.pod;
    if (pod !== undefined && (typeof pod.name !== 'string' || await this.uidOf('pods', pod.name, ns) !== pod.uid)) {
      throw new ApiError('Unauthorized', `the token of ${who} is no longer valid: the pod it was bound to (${String(pod.name)}) is gone or being deleted`);
    }
    return { name: who, role: 'user', groups: serviceAccountGroups(ns), uid };
  }

  private async uidOf(resource: string, name: string, namespace: string): Promise<string | undefined> {
    try {
      const o = await this.api.get<ApiObject>(resource, name, namespace);
      // Being deleted counts as gone (as kube-apiserver's bound-token check): a stopping pod's token dies with it.
      return o.metadata.deletionTimestamp === undefined ? o.metadata.uid : undefined;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  }
}
