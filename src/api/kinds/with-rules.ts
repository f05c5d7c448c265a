import type { TSchema } from '@sinclair/typebox';
import type { ApiObject } from '../meta.js';
import type { FieldCause } from '../errors.js';
import { SchemaValidator } from '../validate.js';
import type { KindModule } from './module.js';
import type { KindInfo } from './kind.js';
import { checkMeta } from './meta-rules.js';

/** What a kind's rules add to its module: the schema, the checks beyond it, defaults, update rules. */
export interface RulesSpec<T extends ApiObject> {
  schema: TSchema;
  /** Checks of an object that passed the schema, after the metadata rules (name, namespace, labels). */
  check?(obj: T): FieldCause[];
  applyDefaults?(obj: T): void;
  validateUpdate?(oldObj: T, newObj: T): FieldCause[];
}

/** A kind as the API server has it: validate is the schema check, then the metadata rules, then check. */
export function withRules<T extends ApiObject>(module: KindModule<T>, spec: RulesSpec<NoInfer<T>>): KindInfo<T> {
  const validator = new SchemaValidator(spec.schema);
  return {
    ...module,
    schema: spec.schema,
    validate(obj) {
      const causes = validator.causes(obj);
      if (causes.length > 0) return causes;
      const o = obj as T;
      return [...checkMeta(o.metadata, module.namespaced), ...(spec.check?.(o) ?? [])];
    },
    applyDefaults(obj) { spec.applyDefaults?.(obj); },
    ...(spec.validateUpdate ? { validateUpdate: spec.validateUpdate } : {}),
  };
}
