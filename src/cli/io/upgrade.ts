/**
 * Open an upgraded "lantern-stream" connection (exec, attach). HttpClient.raw only resolves on a
 * normal response, so this speaks HTTP itself: 101 gives the socket, anything else is read as the
 * API's JSON error.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { HttpClient } from '../../client/http-client.js';
import { parseAnswer, readAll } from '../../client/http-client.js';
import { ApiError } from '../../api/errors.js';

/** The upgraded connection and any bytes that arrived with the 101. */
export interface Upgraded { socket: Duplex; head: Buffer }

/** POST path with Upgrade: lantern-stream; rejects with the server's ApiError when it refuses. */
export function openUpgrade(client: HttpClient, path: string): Promise<Upgraded> {
  const { server, token, ca, cert, key } = client.config;
  const url = new URL(path, server);
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, {
      method: 'POST',
      // A certificate user has no token: its client certificate (as HttpClient's agent sends) is the credential.
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), connection: 'Upgrade', upgrade: 'lantern-stream', accept: 'application/json', 'content-length': '0' },
      ...(url.protocol === 'https:' ? { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) } : {}),
    });
    req.on('upgrade', (_res, socket, head) => resolve({ socket, head }));
    req.on('response', (res) => {
      readAll(res).then((text) => {
        try {
          parseAnswer(res.statusCode ?? 0, text);
          reject(new ApiError('Internal', `the server answered ${res.statusCode ?? 0} instead of switching protocols`));
        } catch (e) { reject(e); }
      }, reject);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      reject(e.code === 'ECONNREFUSED'
        ? new ApiError('Unavailable', `cannot connect to the Lantern server at ${server}: is lanternd running? (${e.code})`)
        : new ApiError('Unavailable', `request to ${server} failed: ${e.message}`));
    });
    req.end();
  });
}
