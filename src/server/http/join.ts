import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../api/errors.js';
import { readObject } from './body.js';
import { sendJson } from './respond.js';

/** The path an agent joins through (authenticated by the node join token). */
export const joinPath = '/apis/lantern.dev/v1/nodes/join';

/** What a successful join answers: the node's own credential, shown this once. */
export interface NodeCredentialResponse { kind: 'NodeCredential'; apiVersion: 'lantern.dev/v1'; nodeName: string; token: string }

const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** POST {nodeName}: issue (or rotate) that node's credential. */
export async function serveJoin(req: IncomingMessage, res: ServerResponse, issue: (nodeName: string) => Promise<string>): Promise<void> {
  if (req.method !== 'POST') throw new ApiError('MethodNotAllowed', `${req.method ?? 'GET'} is not allowed on ${joinPath}: POST {"nodeName": "..."}`);
  const body = (await readObject(req)) as { nodeName?: unknown };
  const name = body.nodeName;
  if (typeof name !== 'string' || name.length > 253 || !dnsSubdomain.test(name)) {
    throw new ApiError('Invalid', `nodeName: ${JSON.stringify(name)} is not a valid node name (lower-case letters, digits, '-' and '.')`, { causes: [{ field: 'nodeName', message: 'invalid' }] });
  }
  const out: NodeCredentialResponse = { kind: 'NodeCredential', apiVersion: 'lantern.dev/v1', nodeName: name, token: await issue(name) };
  sendJson(res, 201, out);
}
