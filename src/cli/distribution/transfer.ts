/** Calls POST .../images/{pull,push} and reads its newline-delimited JSON progress. */
import { ApiError, type ErrorCode } from '../../api/errors.js';
import type { ImageProgress } from '../../api/image-transfer.js';
import { encodeRegistryAuth, registryAuthHeader, sameRegistryHost, type RegistryAuth } from '../../api/registry-auth.js';
import { parseAnswer, readAll, type HttpClient } from '../../client/http-client.js';
import { imagesPath } from '../commands/images.js';
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { withNode } from '../images/node-option.js';
import { loadCredential, registryOfRef } from './credentials.js';
import { ProgressView } from './progress-view.js';

/**
 * The credentials for the registry of REF, as the X-Registry-Auth header: the saved login; else, for
 * the server's own built-in registry (REF's host is the host of lcctl's server URL, or its loopback
 * twin), lcctl's own token, which the registry takes; else none.
 */
export function authHeaders(ref: string, server?: { server: string; token?: string }): Record<string, string> {
  const host = registryOfRef(ref);
  const cred = loadCredential(host);
  let auth: RegistryAuth | undefined;
  if (cred) auth = { username: cred.username, password: cred.password, serveraddress: host };
  else if (server?.token && sameRegistryHost(host, new URL(server.server).host)) auth = { registrytoken: server.token, serveraddress: host };
  return auth ? { [registryAuthHeader]: encodeRegistryAuth(auth) } : {};
}

/** Posts the action and hands each progress line on; resolves with the final "done" line. */
export async function transfer(client: HttpClient, action: 'pull' | 'push', query: URLSearchParams, headers: Record<string, string>, onProgress: (p: ImageProgress) => void): Promise<Record<string, unknown>> {
  const res = await client.raw('POST', `${imagesPath}/${action}?${query.toString()}`, undefined, headers);
  if (res.status !== 200) parseAnswer(res.status, await readAll(res.body));
  let rest = '';
  let done: Record<string, unknown> | undefined;
  const handle = (line: string): void => {
    if (line.trim() === '') return;
    const msg = JSON.parse(line) as Record<string, unknown>;
    const err = msg.error as { code?: string; message?: string } | undefined;
    if (err) throw new ApiError((err.code ?? 'Internal') as ErrorCode, err.message ?? 'unknown error');
    if (msg.status === 'done') done = msg;
    else onProgress(msg as unknown as ImageProgress);
  };
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) handle(l);
  }
  handle(rest);
  if (!done) throw new ApiError('Unavailable', `the server ended the ${action} without a result; run it again (a pull resumes where it stopped)`);
  return done;
}

/**
 * lcctl pull and push: the action for REF on the node --node names, with per-layer progress on
 * standard output unless --quiet; resolves with the "done" line and the view (what it transferred).
 */
export async function runTransfer(p: Parsed, action: 'pull' | 'push', ref: string, query: URLSearchParams): Promise<{ done: Record<string, unknown>; view: ProgressView }> {
  const quiet = p.bool('quiet');
  const view = new ProgressView(process.stdout, process.stdout.isTTY === true);
  const client = connect(p);
  const done = await transfer(client, action, withNode(p, query), authHeaders(ref, client.config), (m) => { if (!quiet) view.update(m); });
  return { done, view };
}
