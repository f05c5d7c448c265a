/** Errors the CLI reports itself, each with the exit code the verb should end with. */
import type { ApiError } from '../api/errors.js';

/** A failure to report as-is; exitCode undefined means "the verb's usual failure code". */
export class CliError extends Error {
  constructor(message: string, readonly exitCode?: number) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad command-line usage: Docker-style verbs exit 125, kubectl-style verbs exit 1. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Duck-typed ApiError check, so this module need not load the error catalogue at startup. */
export function isApiError(e: unknown): e is ApiError {
  return e instanceof Error && e.name === 'ApiError' && typeof (e as { code?: unknown }).code === 'string';
}

/** An ApiError with the given code? */
export function isCode(e: unknown, code: string): boolean {
  return isApiError(e) && e.code === code;
}

/** The server's message plus any field causes it did not already spell out. */
export function apiMessage(e: ApiError): string {
  const causes = (e.details?.causes ?? []).filter((c) => !e.message.includes(`${c.field}: ${c.message}`));
  return [e.message, ...causes.map((c) => `  ${c.field}: ${c.message}`)].join('\n');
}

/** A one-line-or-more description of any error for the user. */
export function errorText(e: unknown): string {
  if (isApiError(e)) return apiMessage(e);
  if (e instanceof Error) return e.message;
  return String(e);
}

/** kubectl's way of printing an error: "Error from server (NotFound): ..." or "error: ...". */
export function kubeErrorLine(e: unknown): string {
  return isApiError(e) ? `Error from server (${e.code}): ${apiMessage(e)}` : `error: ${errorText(e)}`;
}
