/** API errors a controller expects and steps over. */
import { ApiError, type ErrorCode } from '../../api/errors.js';

/** True when e is an ApiError with one of the codes. */
export const isApiError = (e: unknown, ...codes: ErrorCode[]): e is ApiError => e instanceof ApiError && codes.includes(e.code);

/** A catch handler that swallows ApiErrors with these codes and rethrows anything else: `.catch(ignoreErrors('NotFound'))`. */
export const ignoreErrors = (...codes: ErrorCode[]) => (e: unknown): undefined => {
  if (!isApiError(e, ...codes)) throw e;
  return undefined;
};
