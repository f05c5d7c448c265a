/**
 * What admission tells the caller besides yes or no: Warning headers (kubectl prints them) and
 * audit annotations. The HTTP layer opens a scope per request; in-process callers (controllers)
 * have none and the notes are dropped, as kube-apiserver's warnings are only for API clients.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Where one request's admission notes go. */
export interface AdmissionNotes {
  /** Add a `Warning: 299 - "TEXT"` header to the answer. */
  warn(text: string): void;
  /** Annotate the request's audit event (KEY=VALUE). */
  annotate(key: string, value: string): void;
}

const scope = new AsyncLocalStorage<AdmissionNotes>();

/** Run FN with NOTES as the admission notes of everything it calls. */
export const withAdmissionNotes = <T>(notes: AdmissionNotes, fn: () => T): T => scope.run(notes, fn);

/** The current request's notes, or undefined outside a request. */
export const admissionNotes = (): AdmissionNotes | undefined => scope.getStore();
