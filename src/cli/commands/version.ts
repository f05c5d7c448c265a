/** lcctl version: the client's version and, when reachable, the server's. */
import { readFileSync } from 'node:fs';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError, errorText } from '../errors.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'version',
  usage: 'version [OPTIONS]',
  summary: 'Print the client and server version',
  style: 'kubectl',
  flags: [
    { name: 'client', type: 'bool', help: 'Client version only (no server required)' },
    { name: 'output', short: 'o', type: 'string', help: 'json or yaml' },
  ],
};

/** The version in the package.json next to dist/ (the client's version). */
export function clientVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch { return 'unknown'; }
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const format = p.str('output');
  if (format !== undefined && format !== 'json' && format !== 'yaml') throw new UsageError(`--output must be json or yaml, got "${format}"`);
  const info: { clientVersion: { version: string; platform: string; nodeVersion: string }; serverVersion?: unknown } = {
    clientVersion: { version: clientVersion(), platform: `${process.platform}/${process.arch}`, nodeVersion: process.version },
  };
  let failure: unknown;
  if (!p.bool('client')) {
    try { info.serverVersion = await connect(p).json('GET', '/version'); } catch (e) { failure = e; }
  }
  if (format === 'json') process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  else if (format === 'yaml') { const { toYaml } = await import('../output/yaml.js'); process.stdout.write(await toYaml(info)); }
  else {
    process.stdout.write(`Client Version: ${info.clientVersion.version}\n`);
    const sv = info.serverVersion as { version?: string } | undefined;
    if (sv) process.stdout.write(`Server Version: ${sv.version ?? 'unknown'}\n`);
  }
  if (failure !== undefined) { process.stderr.write(`error: ${errorText(failure)}\n`); return 1; }
  return 0;
}
