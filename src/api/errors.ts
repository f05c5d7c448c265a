/**
 * The one error catalogue: every error a user can see has a stable code, an HTTP status
 * and a message saying what was wrong. Defined once, thrown everywhere as ApiError.
 */
export const ErrorCodes = {
  Invalid: { status: 422, reason: 'Invalid' },
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

/** The details of an error (Kubernetes' StatusDetails). */
export interface ErrorDetails {
  causes?: FieldCause[];
  kind?: string;
  name?: string;
  /** With TooManyRequests: when to try again (sent as Retry-After too). */
  retryAfterSeconds?: number;
}

/**
 * The JSON body of every error response: Kubernetes' meta/v1 Status, so kubectl and the client
 * libraries show the message and tell the cases apart by `reason` (code is the HTTP status).
 */
export interface ErrorBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: ErrorDetails;
  code: number;
}

/** The catalogue code of a Status reason (several codes share none: reasons are unique). */
const codeOfReason = new Map<string, ErrorCode>(Object.entries(ErrorCodes).map(([code, v]) => [v.reason, code as ErrorCode]));

/** An error with a catalogue code; the API turns it into a Status response. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
  get status(): number { return ErrorCodes[this.code].status; }
  /** Kubernetes' reason for this error (NotFound, Invalid, ServiceUnavailable ...). */
  get reason(): string { return ErrorCodes[this.code].reason; }
  toBody(): ErrorBody {
    const body: ErrorBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.status };
    if (this.details) body.details = this.details;
    return body;
  }
  /** The error a Status body describes (an unknown reason is told apart by its HTTP status, else Internal). */
  static fromBody(body: { reason?: unknown; message?: unknown; code?: unknown; details?: ErrorDetails }): ApiError {
    const byReason = typeof body.reason === 'string' ? codeOfReason.get(body.reason) : undefined;
    const byStatus = typeof body.code === 'number' ? (Object.entries(ErrorCodes).find(([, v]) => v.status === body.code)?.[0] as ErrorCode | undefined) : undefined;
    return new ApiError(byReason ?? byStatus ?? 'Internal', typeof body.message === 'string' ? body.message : 'unknown error', body.details);
  }
}

/** True when a parsed JSON value is a Kubernetes Status of a failure. */
export function isFailureStatus(v: unknown): v is ErrorBody {
  const b = v as Partial<ErrorBody> | null;
  return typeof b === 'object' && b !== null && b.kind === 'Status' && b.status === 'Failure' && typeof b.message === 'string';
}

export const notFound = (kind: string, name: string): ApiError =>
  new ApiError('NotFound', `${kind.toLowerCase()} "${name}" not found`, { kind, name });
export const alreadyExists = (kind: string, name: string): ApiError =>
  new ApiError('AlreadyExists', `${kind.toLowerCase()} "${name}" already exists`, { kind, name });
export const conflict = (kind: string, name: string): ApiError =>
  new ApiError('Conflict', `${kind.toLowerCase()} "${name}" was modified (stale resourceVersion); read it again and retry`, { kind, name });
export const invalid = (kind: string, name: string, causes: FieldCause[]): ApiError =>
  new ApiError('Invalid', `${kind} "${name}" is invalid: ${causes.map((c) => `${c.field}: ${c.message}`).join('; ')}`, { kind, name, causes });
