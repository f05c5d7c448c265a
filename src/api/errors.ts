/**
 * The one error catalogue: every error a user can see has a stable code, an HTTP status
 * and a message saying what was wrong. Defined once, thrown everywhere as ApiError.
 */
export const ErrorCodes = {
  Invalid: { status: 400, reason: 'Invalid' },
  BadRequest: { status: 400, reason: 'BadRequest' },
  Unauthorized: { status: 401, reason: 'Unauthorized' },
  Forbidden: { status: 403, reason: 'Forbidden' },
  NotFound: { status: 404, reason: 'NotFound' },
  MethodNotAllowed: { status: 405, reason: 'MethodNotAllowed' },
  AlreadyExists: { status: 409, reason: 'AlreadyExists' },
  Conflict: { status: 409, reason: 'Conflict' },
  PayloadTooLarge: { status: 413, reason: 'RequestEntityTooLarge' },
  UnsupportedMediaType: { status: 415, reason: 'UnsupportedMediaType' },
  Gone: { status: 410, reason: 'Expired' },
  RequestTimeout: { status: 408, reason: 'Timeout' },
  TooManyRequests: { status: 429, reason: 'TooManyRequests' },
  Unavailable: { status: 503, reason: 'ServiceUnavailable' },
  Internal: { status: 500, reason: 'InternalError' },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** One problem with a request, pointing at the field it concerns. */
export interface FieldCause { field: string; message: string }

/** The JSON body of every error response. */
export interface ErrorBody {
  code: ErrorCode;
  status: number;
  message: string;
  /** retryAfterSeconds: with TooManyRequests, when to try again (sent as Retry-After too), as Kubernetes' StatusDetails. */
  details?: { causes?: FieldCause[]; kind?: string; name?: string; retryAfterSeconds?: number };
}

/** An error with a catalogue code; the API turns it into an ErrorBody response. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorBody['details'];
  constructor(code: ErrorCode, message: string, details?: ErrorBody['details']) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  get status(): number { return ErrorCodes[this.code].status; }
  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, status: this.status, message: this.message };
    if (this.details) body.details = this.details;
    return body;
  }
  static fromBody(body: ErrorBody): ApiError {
    const code = body.code in ErrorCodes ? body.code : 'Internal';
    return new ApiError(code, body.message, body.details);
  }
}

export const notFound = (kind: string, name: string): ApiError =>
  new ApiError('NotFound', `${kind.toLowerCase()} "${name}" not found`, { kind, name });
export const alreadyExists = (kind: string, name: string): ApiError =>
  new ApiError('AlreadyExists', `${kind.toLowerCase()} "${name}" already exists`, { kind, name });
export const conflict = (kind: string, name: string): ApiError =>
  new ApiError('Conflict', `${kind.toLowerCase()} "${name}" was modified (stale resourceVersion); read it again and retry`, { kind, name });
export const invalid = (kind: string, name: string, causes: FieldCause[]): ApiError =>
  new ApiError('Invalid', `${kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`, { kind, name, causes });
