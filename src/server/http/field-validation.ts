/**
 * The fieldValidation query parameter of writes (POST, PUT, PATCH), as kube-apiserver has it:
 * Strict (the default, Lantern's behaviour) refuses an unknown field; Warn drops it and answers a
 * `Warning: 299 - "unknown field \"spec.x\""` header, which kubectl prints; Ignore drops it silently
 * (`kubectl --validate=false`). Only unknown fields are dropped: a wrong value is refused in every mode.
 */
import type { ServerResponse } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import { kindRules } from '../../api/kinds/rules.js';
import type { ApiClient, WriteOptions } from '../../client/types.js';
import { acceptKubeForms } from './kube-accepted.js';

/** The three modes. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const modes: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

/** The mode a request asks for (Strict when absent); 400 for anything else, naming the accepted values. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Strict';
  const mode = modes.find((m) => m === v);
  if (mode === undefined) throw new ApiError('BadRequest', `fieldValidation: unsupported value ${JSON.stringify(v)}: expected one of "Ignore", "Warn", "Strict"`);
  return mode;
}

/** OBJ without the fields its kind's schema does not know, and the paths of those fields. */
export function dropUnknownFields<T extends ApiObject>(resource: string, obj: T): { obj: T; unknown: string[] } {
  const kind = kindRules.get(resource);
  if (kind === undefined) return { obj, unknown: [] };
  const unknown = kind.validate(obj).filter((c) => c.message === 'unknown field').map((c) => c.field);
  if (unknown.length === 0) return { obj, unknown };
  return { obj: Value.Clean(kind.schema, structuredClone(obj)) as T, unknown };
}

/** A Warning header value (RFC 7234 warn-code 299, as kube-apiserver writes them). */
const warning = (text: string): string => `299 - ${JSON.stringify(text)}`;

/**
 * The client a write goes through under MODE: Kubernetes' accepted forms are normalised
 * (kube-accepted.ts); Warn and Ignore also clean what is created or updated (Warn adding one
 * Warning header per dropped field to RES).
 */
export function withFieldValidation(api: ApiClient, mode: FieldValidation, res: ServerResponse): ApiClient {
  const clean = <T extends ApiObject>(resource: string, obj: T): T => {
    // Every write, a patch's result included (rollout undo copies a template with creationTimestamp: null).
    acceptKubeForms(obj);
    if (mode === 'Strict') return obj;
    const out = dropUnknownFields(resource, obj);
    if (mode === 'Warn' && out.unknown.length > 0 && !res.headersSent) {
      const prev = res.getHeader('warning');
      const list = Array.isArray(prev) ? prev : typeof prev === 'string' ? [prev] : [];
      res.setHeader('warning', [...list, ...out.unknown.map((f) => warning(`unknown field "${f}"`))]);
    }
    return out.obj;
  };
  return {
    ...bound(api),
    create<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> { return api.create(resource, clean(resource, obj), opts); },
    update<T extends ApiObject>(resource: string, obj: T, opts?: WriteOptions): Promise<T> { return api.update(resource, clean(resource, obj), opts); },
  };
}

/** The client's methods bound to it, so a spread copy still calls them on the client. */
function bound(api: ApiClient): ApiClient {
  return {
    create: api.create.bind(api), get: api.get.bind(api), list: api.list.bind(api), update: api.update.bind(api),
    updateStatus: api.updateStatus.bind(api), delete: api.delete.bind(api), watch: api.watch.bind(api), bind: api.bind.bind(api),
  };
}
