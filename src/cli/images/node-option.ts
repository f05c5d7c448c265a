/** The --node option of the image verbs: which node's image store a call addresses. */
import type { FlagSpec, Parsed } from '../args.js';

/** The flag, with what it means for this verb. */
export function nodeFlag(help: string): FlagSpec {
  return { name: 'node', type: 'string', help };
}

/** `query` with `node=` added when --node was given. */
export function withNode(p: Parsed, query: URLSearchParams): URLSearchParams {
  const node = p.str('node');
  if (node) query.set('node', node);
  return query;
}
