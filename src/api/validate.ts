import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { TSchema } from '@sinclair/typebox';
import type { FieldCause } from './errors.js';

/** JSON pointer "/spec/containers/0/image" -> "spec.containers[0].image". */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^[0-9]+$/.test(part) ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out;
}

function describe(error: ValueError): FieldCause {
  const field = fieldPath(error.path);
  const schema = error.schema as { description?: string; anyOf?: { const?: unknown }[] };
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return { field, message: 'required' };
    case ValueErrorType.ObjectAdditionalProperties:
      return { field, message: 'unknown field' };
    case ValueErrorType.Union: {
      const consts = schema.anyOf?.map((s) => s.const).filter((c) => c !== undefined);
      if (consts && consts.length > 0) return { field, message: `expected one of ${consts.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(error.value)}` };
      return { field, message: schema.description ? `expected ${schema.description}` : error.message };
    }
    case ValueErrorType.Literal:
      return { field, message: `expected ${JSON.stringify((error.schema as { const?: unknown }).const)}, got ${JSON.stringify(error.value)}` };
    case ValueErrorType.String: return { field, message: `expected a string, got ${typeName(error.value)}` };
    case ValueErrorType.Integer: return { field, message: `expected an integer, got ${JSON.stringify(error.value)}` };
    case ValueErrorType.Number: return { field, message: `expected a number, got ${typeName(error.value)}` };
    case ValueErrorType.Boolean: return { field, message: `expected true or false, got ${JSON.stringify(error.value)}` };
    case ValueErrorType.Array: return { field, message: `expected a list, got ${typeName(error.value)}` };
    case ValueErrorType.Object: return { field, message: `expected an object, got ${typeName(error.value)}` };
    case ValueErrorType.StringMinLength: return { field, message: 'must not be empty' };
    case ValueErrorType.StringMaxLength: return { field, message: `must be no more than ${String((error.schema as { maxLength?: number }).maxLength)} characters` };
    case ValueErrorType.ObjectMaxProperties: return { field, message: `must have at most ${String((error.schema as { maxProperties?: number }).maxProperties)} entries` };
    case ValueErrorType.ArrayMaxItems: return { field, message: `must have at most ${String((error.schema as { maxItems?: number }).maxItems)} items` };
    case ValueErrorType.StringPattern: return { field, message: schema.description ? `expected ${schema.description}, got ${JSON.stringify(error.value)}` : error.message.toLowerCase() };
    case ValueErrorType.ArrayMinItems: return { field, message: 'must have at least one item' };
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum: {
      const s = error.schema as { minimum?: number; maximum?: number };
      const range = s.maximum !== undefined && s.minimum !== undefined ? `between ${s.minimum} and ${s.maximum}` : s.minimum !== undefined ? `at least ${s.minimum}` : `at most ${s.maximum}`;
      return { field, message: `must be ${range}, got ${JSON.stringify(error.value)}` };
    }
    default:
      return { field, message: error.message.toLowerCase() };
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** A compiled schema that reports problems as field causes. */
export class SchemaValidator<T extends TSchema> {
  private readonly check: TypeCheck<T>;
  constructor(schema: T) { this.check = TypeCompiler.Compile(schema); }
  /** Problems with value, most specific first; empty when valid. */
  causes(value: unknown): FieldCause[] {
    if (this.check.Check(value)) return [];
    const seen = new Set<string>();
    const out: FieldCause[] = [];
    for (const error of this.check.Errors(value)) {
      const cause = describe(error);
      // A union failing reports once per branch; keep the first message per field.
      if (seen.has(cause.field)) continue;
      seen.add(cause.field);
      out.push(cause);
      if (out.length >= 20) break;
    }
    return out;
  }
}
