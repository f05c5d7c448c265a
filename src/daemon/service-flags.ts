/** `lanternd server`'s Service flag: --service-node-port-range (the service CIDR is network-flags.ts'). */
import { parseNodePortRange } from '../server/services/ranges.js';

/** The flag's type for parseFlags. */
export const serviceFlags = { 'service-node-port-range': 'string' } as const;

/** Its line in `lanternd server --help`. */
export const serviceFlagsUsage = `  --service-node-port-range A-B  ports NodePort Services are given on every node (default 30000-32767)
`;

/** The node port range from the flags; an error names the flag. */
export function nodePortRangeFromFlags(flags: Record<string, string | boolean | undefined>): { first: number; last: number } {
  return parseNodePortRange(String(flags['service-node-port-range'] ?? '30000-32767'));
}
