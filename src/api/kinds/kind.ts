import type { TSchema } from '@sinclair/typebox';
import type { ApiObject } from '../meta.js';
import type { FieldCause } from '../errors.js';
import type { KindModule } from './module.js';

/** A kind's schema, defaults and rules: what only the API server loads (TypeBox, compiled checks). */
export interface KindRules<T extends ApiObject = ApiObject> {
  /** The TypeBox schema: the source of the TS type, the checks, and OpenAPI v3 (server/http/openapi.ts). */
  schema: TSchema;
  /** Schema check plus semantic rules; empty when valid. */
  validate(obj: unknown): FieldCause[];
  /** Fill in defaults in place (after schema validation). */
  applyDefaults(obj: T): void;
  /** Extra checks on an update, e.g. immutable fields. */
  validateUpdate?(oldObj: T, newObj: T): FieldCause[];
}

/** What the API server needs to know about one kind: its module and its rules. */
export type KindInfo<T extends ApiObject = ApiObject> = KindModule<T> & KindRules<T>;
