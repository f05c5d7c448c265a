/**
 * `lanternd server` flags of the node restriction (server/node-restriction/): label prefixes an
 * admin reserves, and the Events each node may write (Kubernetes' EventRateLimit, per source).
 */
import { NodeRestriction, defaultEventBurst, defaultEventQps } from '../server/node-restriction/index.js';
import { defaultProtectedLabelPrefixes, parsePrefixes } from '../server/node-restriction/protected-labels.js';
import { FlagError, type FlagSpec } from './flags.js';

/** The flags, for parseFlags. */
export const nodeRestrictionFlags: FlagSpec = {
  'node-protected-label-prefixes': 'string',
  'node-event-qps': 'string',
  'node-event-burst': 'string',
};

/** Their lines of `lanternd server --help`. */
export const nodeRestrictionFlagsUsage = `  --node-protected-label-prefixes P,...  label prefixes (example.com/) a node may not set on its own
                                      Node, besides ${defaultProtectedLabelPrefixes.join(', ')}
  --node-event-qps N            Events one node may write per second, sustained; more are answered 429
                                with Retry-After (0: no limit; default ${defaultEventQps})
  --node-event-burst N          Events one node may write at once before that rate applies (default ${defaultEventBurst})
`;

function number(flags: Record<string, string | boolean>, name: string, fallback: number, whole: boolean): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) {
    throw new FlagError(`--${name}: expected ${whole ? 'a whole number' : 'a number'} >= 0, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** The node restriction the flags ask for. */
export function nodeRestrictionFromFlags(flags: Record<string, string | boolean>): NodeRestriction {
  const text = flags['node-protected-label-prefixes'];
  let prefixes: string[] = [];
  try {
    prefixes = typeof text === 'string' ? parsePrefixes(text) : [];
  } catch (e) {
    throw new FlagError(`--node-protected-label-prefixes: ${(e as Error).message}`);
  }
  const burst = number(flags, 'node-event-burst', defaultEventBurst, true);
  if (burst < 1) throw new FlagError('--node-event-burst: must be at least 1 (turn the limit off with --node-event-qps 0)');
  return new NodeRestriction({ protectedLabelPrefixes: prefixes, eventQps: number(flags, 'node-event-qps', defaultEventQps, false), eventBurst: burst });
}
