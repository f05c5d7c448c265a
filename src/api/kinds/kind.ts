import type { ApiObject } from '../meta.js';
import type { FieldCause } from '../errors.js';

/** What the API server needs to know about one kind: its schema, defaults and rules. */
export interface KindInfo<T extends ApiObject = ApiObject> {
  kind: string;
  apiVersion: string;
  /** URL plural, e.g. "pods". */
  resource: string;
  namespaced: boolean;
  /** Short names accepted by the CLI (e.g. "po"). */
  shortNames: string[];
  /** Schema check plus semantic rules; empty when valid. */
  validate(obj: unknown): FieldCause[];
  /** Fill in defaults in place (after schema validation). */
  applyDefaults(obj: T): void;
  /** Extra checks on an update, e.g. immutable fields. */
  validateUpdate?(oldObj: T, newObj: T): FieldCause[];
  /** Field values usable in ?fieldSelector=. */
  selectableFields(obj: T): Record<string, string>;
  /** Does this kind have a status subresource (spec and status written separately)? */
  hasStatus: boolean;
}
