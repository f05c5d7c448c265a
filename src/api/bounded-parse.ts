/**
 * JSON.parse with a nesting bound checked BEFORE parsing, for every JSON that comes from outside the
 * process (request bodies, a node's tunnel answers, pushed manifests, image configs and indexes).
 *
 * Why: V8 parses a million nested `[` happily, but what comes after (JSON.stringify, schema
 * validation, the YAML composer) recurses and dies with "Maximum call stack size exceeded", well
 * under the 10,000 levels Kubernetes' decoders allow (apimachinery's util/json and go-yaml both stop
 * at 10,000; Go's stacks grow, Node's do not). No kind Lantern serves nests deeper than about 20.
 */

/** The deepest nesting of arrays and objects accepted from outside (real manifests stay under 25). */
export const maxNestingDepth = 100;

/** A body or document refused before parsing: too deep, too many aliases, too much work. */
export class BoundedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoundedParseError';
  }
}

/**
 * The first place where TEXT, read as JSON, opens more than MAX nested arrays or objects; undefined
 * when it never does. One linear pass that skips strings (with their escapes), so a `[` inside a
 * string does not count. Text that is not JSON gets an answer too: JSON.parse rejects it after.
 */
export function jsonNestingProblem(text: string, max = maxNestingDepth): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return `nests deeper than ${max} levels (at offset ${i})`;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

/**
 * JSON.parse(TEXT) when it nests at most MAX levels; a BoundedParseError naming WHAT ("request
 * body", "manifest") otherwise. Syntax errors stay SyntaxErrors, as JSON.parse throws them.
 */
export function parseJsonBounded(text: string, what = 'JSON document', max = maxNestingDepth): unknown {
  const problem = jsonNestingProblem(text, max);
  if (problem !== undefined) throw new BoundedParseError(`${what} ${problem}`);
  return JSON.parse(text) as unknown;
}

/**
 * The first bound VALUE crosses once each shared part counts every time it occurs (as JSON.stringify
 * would write it out): containers nested deeper than MAX_DEPTH, or more than MAX_NODES values in all.
 * For parsers whose result can share parts (YAML aliases); iterative, and it stops at the bound.
 */
export function expandedProblem(value: unknown, maxDepth = maxNestingDepth, maxNodes = 1_000_000): string | undefined {
  const todo: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  let nodes = 0;
  while (todo.length > 0) {
    const { v, depth } = todo.pop()!;
    if (++nodes > maxNodes) return `expands to more than ${maxNodes} values`;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > maxDepth) return `nests deeper than ${maxDepth} levels`;
    for (const child of Object.values(v)) todo.push({ v: child, depth: depth + 1 });
  }
  return undefined;
}
