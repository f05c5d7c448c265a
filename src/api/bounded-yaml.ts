/**
 * YAML with bounds checked before parsing: nesting depth, aliases, documents and lexer tokens (the
 * parser's work), then a parse whose duplicate-key check is linear.
 *
 * Why: the yaml package's CST parser and composer recurse once per nesting level, so about 50,000
 * nested `[` (100 KB) overflow the stack; when that overflow lands inside V8's regexp compiler the
 * process dies ("RegExpCompiler Allocation failed - process out of memory") instead of throwing.
 * Its lexer is a flat state machine, linear in the input, so the pre-scan below runs it alone and
 * stops at the first bound crossed. Its `uniqueKeys` check compares each key with every earlier one
 * of its map (200,000 keys: minutes of CPU), so parseYamlBounded does that check with a Set.
 */
import { BoundedParseError, expandedProblem, maxNestingDepth } from './bounded-parse.js';

/** What one YAML text may hold. */
export interface YamlLimits {
  /** Nesting of collections: the parsed value's, exactly; the pre-scan refuses estimates over 3 times it. */
  maxDepth: number;
  /** Alias nodes (`*name`); each expansion is bounded too (yaml's maxAliasCount). */
  maxAliases: number;
  /** Documents (`---`): an API request body is one object. */
  maxDocuments: number;
  /** Lexer tokens: bounds the parser's work (about 1 µs each) and the pre-scan's own. */
  maxTokens: number;
}

/** The limits of a request body or any YAML from outside the process. */
export const yamlLimits: YamlLimits = { maxDepth: maxNestingDepth, maxAliases: 100, maxDocuments: 1, maxTokens: 50_000 };

/** The lexer of the yaml package (a generator of token source strings). */
interface YamlLexer { lex(source: string): Iterable<string> }

const scalarMarker = '\x1f';
const blockIndicators = new Set(['-', '?', ':']);
const flowStart = new Set(['[', '{']);
const flowEnd = new Set([']', '}']);

/** The leading spaces of a token that starts a line (tabs never indent in YAML). */
function leadingSpaces(s: string): number {
  let n = 0;
  while (n < s.length && s.charCodeAt(n) === 0x20) n++;
  return n;
}

/**
 * How far the pre-scan's depth estimate may go: it is an upper bound of the real depth, at most 3
 * times it (nested block maps: 2 per indented line plus 1 for the `:`), so an estimate over 3 x
 * maxDepth means a real depth over maxDepth. Between the two the exact check after parsing decides;
 * the parser itself stays safe far beyond 3 x 100 levels (it overflows near 800).
 */
const estimateFactor = 3;

/**
 * The first limit TEXT crosses, in words, or undefined. Depth is estimated as an upper bound on the
 * real nesting: a block line's nodes sit at most 2 levels (a map and, at the same column, a
 * sequence as its value) below those of the nearest earlier line indented less, plus one per `-`,
 * `?` or `:` on the line itself, plus the open flow collections (`[`, `{`). Real manifests
 * estimate under 60.
 */
export function yamlProblem(text: string, lexer: YamlLexer, limits: YamlLimits = yamlLimits): string | undefined {
  const stack: { indent: number; depth: number }[] = [];
  let flow = 0;
  let tokens = 0;
  let aliases = 0;
  let documents = 0;
  let inDocument = false;
  let lineStart = true;
  let indent = 0;
  let skipNext = false;
  let blockScalar = false;
  const deeper = (): string => `nests deeper than ${limits.maxDepth} levels`;
  const maxEstimate = limits.maxDepth * estimateFactor;
  for (const tok of lexer.lex(text)) {
    if (++tokens > limits.maxTokens) return `holds more than ${limits.maxTokens} YAML tokens (send it as JSON, or split it)`;
    if (skipNext) {
      // A plain or block scalar's text: no structure inside; a block scalar ends with its last line.
      skipNext = false;
      if (tok.endsWith('\n')) { lineStart = true; indent = 0; }
      continue;
    }
    const c = tok.charAt(0);
    if (tok === '\n' || tok === '\r\n' || tok === '') { if (flow === 0) { lineStart = true; indent = 0; } continue; }
    if (c === ' ' || c === '\t') { if (lineStart) indent = leadingSpaces(tok); continue; }
    if (c === '#' || c === '%' || c === '\x02' || c === '\x18' || c === '\ufeff') continue;
    if (tok === '---' || tok === '...') {
      stack.length = 0;
      flow = 0;
      inDocument = tok === '---';
      if (inDocument && ++documents > limits.maxDocuments) return `holds more than ${limits.maxDocuments} YAML document${limits.maxDocuments === 1 ? '' : 's'}`;
      continue;
    }
    if (blockScalar && tok === scalarMarker) {
      // A block scalar's lines follow its header's line break: they are text, not a new line's nodes.
      blockScalar = false;
      skipNext = true;
      continue;
    }
    if (c === '|' || c === '>') blockScalar = true;
    // Content: it opens a document when none is open.
    if (!inDocument) {
      inDocument = true;
      if (++documents > limits.maxDocuments) return `holds more than ${limits.maxDocuments} YAML document${limits.maxDocuments === 1 ? '' : 's'}`;
    }
    if ((lineStart && flow === 0) || stack.length === 0) {
      lineStart = false;
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      const depth = (stack[stack.length - 1]?.depth ?? 0) + 2;
      if (depth > maxEstimate) return deeper();
      stack.push({ indent, depth });
    }
    const line = stack[stack.length - 1]!;
    if (tok === scalarMarker) { skipNext = true; continue; }
    if (c === '*') {
      if (++aliases > limits.maxAliases) return `holds more than ${limits.maxAliases} YAML aliases`;
    } else if (flowStart.has(tok)) {
      if (line.depth + ++flow > maxEstimate) return deeper();
    } else if (flowEnd.has(tok)) {
      if (flow > 0) flow--;
    } else if (flow === 0 && blockIndicators.has(tok)) {
      if (++line.depth > maxEstimate) return deeper();
    }
  }
  return undefined;
}

/**
 * Parse one YAML document from outside: yamlProblem first (BoundedParseError naming WHAT), then the
 * yaml package with uniqueKeys off, our own linear duplicate-key check and a bounded alias
 * expansion. Syntax errors are plain Errors carrying yaml's message.
 */
export async function parseYamlBounded(text: string, what = 'YAML document', limits: YamlLimits = yamlLimits): Promise<unknown> {
  const yaml = await import('yaml');
  const problem = yamlProblem(text, new yaml.Lexer(), limits);
  if (problem !== undefined) throw new BoundedParseError(`${what} ${problem}`);
  const options = { uniqueKeys: false, maxAliasCount: limits.maxAliases, logLevel: 'error' as const };
  const doc = yaml.parseDocument(text, options);
  const first = doc.errors[0];
  if (first !== undefined) throw new Error(first.message);
  // Depth is bounded above, so walking the tree (iteratively) is cheap.
  const todo: unknown[] = [doc.contents];
  while (todo.length > 0) {
    const node = todo.pop();
    if (yaml.isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (yaml.isScalar(pair.key)) {
          if (seen.has(pair.key.value)) throw new Error(`map keys must be unique: ${JSON.stringify(String(pair.key.value)).slice(0, 80)} is defined twice`);
          seen.add(pair.key.value);
        }
        todo.push(pair.key, pair.value);
      }
    } else if (yaml.isSeq(node)) {
      for (const item of node.items) todo.push(item);
    }
  }
  const value = doc.toJS({ maxAliasCount: limits.maxAliases }) as unknown;
  // The exact depth, and the size once aliases (shared parts) are expanded, as JSON.stringify and
  // the validators will see it.
  const expanded = expandedProblem(value, limits.maxDepth, limits.maxTokens * 4);
  if (expanded !== undefined) throw new BoundedParseError(`${what} ${expanded}`);
  return value;
}
