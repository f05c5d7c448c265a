/**
 * `--server` given several times (`lanternd agent --server A --server B`) or as a list (`--server
 * A,B`): one `--server A,B` for parseFlags, whose last value would otherwise win. HA: every server
 * of the cluster, tried in this order (client/multi-server.ts).
 */
import { serverList } from '../client/multi-server.js';

/** ARGS with every --server value merged into one comma-separated --server (first seen first, no repeats). */
export function mergeServerFlags(args: readonly string[]): string[] {
  const rest: string[] = [];
  const servers: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--server' && i + 1 < args.length) servers.push(...serverList(args[++i]!));
    else if (arg.startsWith('--server=')) servers.push(...serverList(arg.slice('--server='.length)));
    else rest.push(arg);
  }
  const unique = [...new Set(servers)];
  return unique.length === 0 ? rest : ['--server', unique.join(','), ...rest];
}
