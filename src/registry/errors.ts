import type { ServerResponse } from 'node:http';

/** The distribution spec's error codes with the HTTP status each is answered with. */
export const RegistryCodes = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  SIZE_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  RANGE_INVALID: 416,
} as const;

/** One of the spec's error codes. */
export type RegistryCode = keyof typeof RegistryCodes;

/** An error answered as `{"errors":[{"code","message","detail"}]}` with the code's status (or `status`). */
export class RegistryError extends Error {
  readonly status: number;
  constructor(readonly code: RegistryCode, message: string, readonly detail: unknown = null, status?: number, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'RegistryError';
    this.status = status ?? RegistryCodes[code];
  }
}

/** Send any thrown value as a spec error body; anything not a RegistryError is a 500 (and logged). */
export function sendRegistryError(res: ServerResponse, err: unknown, method = 'GET'): void {
  // The client hung up (a blob download or upload cut short): no one to answer, and no server fault.
  if (res.destroyed || !res.socket || res.socket.destroyed) { res.destroy(); return; }
  const e = err instanceof RegistryError ? err : undefined;
  if (!e) console.error('lanternd: registry: internal error:', err);
  if (res.headersSent) { res.destroy(); return; }
  const body = JSON.stringify({ errors: [{ code: e?.code ?? 'UNKNOWN', message: e?.message ?? `internal error: ${err instanceof Error ? err.message : String(err)}`, detail: e?.detail ?? null }] });
  res.writeHead(e?.status ?? 500, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'docker-distribution-api-version': 'registry/2.0',
    ...(e?.headers ?? {}),
  });
  res.end(method === 'HEAD' ? undefined : body);
}
