import { ApiError } from '../api/errors.js';

/** An archive the store cannot accept: malformed, corrupt, truncated or for another platform. */
export function archiveError(message: string): ApiError {
  return new ApiError('BadRequest', message);
}

/** Wraps an unexpected failure so the user sees what the store was doing. */
export function wrapError(context: string, err: unknown): Error {
  if (err instanceof ApiError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new ApiError('Internal', `${context}: ${msg}`);
}
