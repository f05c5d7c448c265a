import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import type { NodeCredentials } from '../node-credentials.js';
import type { JoinRateLimiter } from '../join-rate-limit.js';
import type { Identity } from './auth.js';
import { authorize } from './authz.js';
import { readObject } from './body.js';
import { sendJson } from './respond.js';
import { checkAgentVersion } from '../version-skew.js';

/** The path an agent joins through (authenticated by a join token). */
export const joinPath = '/apis/lantern.dev/v1/nodes/join';

/**
 * What a join sends: the node's name, the secret its agent keeps (DATA_DIR/node-secret) and, to
 * prove it is the node some other way (a record from before node secrets), its current credential.
 */
export interface JoinBody { nodeName: string; nodeSecret?: string; credential?: string; /** The agent's version, checked against the skew policy (version-skew.ts). */ version?: string }

/** What a successful join answers: the node's own credential, shown this once. */
export interface NodeCredentialResponse { kind: 'NodeCredential'; apiVersion: 'lantern.dev/v1'; nodeName: string; token: string }

/** What the join endpoint needs: the credential store, and the joins-per-minute limit when there is one. */
export interface JoinService { credentials: NodeCredentials; limiter?: JoinRateLimiter }

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const secretShape = /^[A-Za-z0-9._~+/=-]{32,512}$/;

function parseBody(input: unknown): JoinBody {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ApiError('BadRequest', 'the join body must be an object: {"nodeName": "...", "nodeSecret": "..."}');
  const body = input as Record<string, unknown>;
  const name = body.nodeName;
  if (typeof name !== 'string' || name.length > 253 || !dnsSubdomain.test(name)) {
    throw new ApiError('Invalid', `nodeName: ${JSON.stringify(name)} is not a valid node name (lower-case letters, digits, '-' and '.')`, { causes: [{ field: 'nodeName', message: 'invalid' }] });
  }
  const out: JoinBody = { nodeName: name };
  const secret = body.nodeSecret;
  if (secret !== undefined) {
    if (typeof secret !== 'string' || !secretShape.test(secret)) {
      throw new ApiError('Invalid', 'nodeSecret: must be 32 to 512 characters of letters, digits and ._~+/=- (the agent makes one in DATA_DIR/node-secret)', { causes: [{ field: 'nodeSecret', message: 'invalid' }] });
    }
    out.nodeSecret = secret;
  }
  const credential = body.credential;
  if (credential !== undefined) {
    if (typeof credential !== 'string' || credential.length > 512) throw new ApiError('Invalid', 'credential: must be the node\'s current credential (DATA_DIR/node-credential)', { causes: [{ field: 'credential', message: 'invalid' }] });
    out.credential = credential;
  }
  const version = body.version;
  if (version !== undefined) {
    if (typeof version !== 'string') throw new ApiError('Invalid', 'version: must be the agent\'s version, MAJOR.MINOR.PATCH', { causes: [{ field: 'version', message: 'invalid' }] });
    out.version = version;
  }
  return out;
}

/**
 * POST {nodeName, nodeSecret}: issue the node's credential to CALLER (authenticated, and authorized
 * for verb join by the handler chain). Limited in joins per minute, per server and per client
 * address; a name that has joined before needs its node secret or the node's current credential
 * (see NodeCredentials.join). An agent whose `version` the skew policy refuses gets 403 naming both versions.
 */
export async function serveJoin(req: IncomingMessage, res: ServerResponse, caller: Identity, joins: JoinService, serverVersion?: string): Promise<void> {
  const wait = joins.limiter?.admit(req.socket.remoteAddress ?? '') ?? 0;
  if (wait > 0) {
    res.setHeader('retry-after', String(wait));
    throw new ApiError('TooManyRequests', `too many node joins: try again in ${wait}s (the server limits joins per minute: lanternd server --join-rate-limit, --join-rate-limit-per-client)`);
  }
  if (req.method !== 'POST') throw new ApiError('MethodNotAllowed', `${req.method ?? 'GET'} is not allowed on ${joinPath}: POST {"nodeName": "...", "nodeSecret": "..."}`);
  const body = parseBody(await readObject(req));
  authorize(caller, { verb: 'join', resource: 'nodes', name: body.nodeName });
  checkAgentVersion(body.version, serverVersion, 'version');
  const token = await joins.credentials.join({ ...body, caller });
  const out: NodeCredentialResponse = { kind: 'NodeCredential', apiVersion: 'lantern.dev/v1', nodeName: body.nodeName, token };
  sendJson(res, 201, out);
}
