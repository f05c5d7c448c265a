/** `lanternd server --docker-socket PATH`: serve the Docker Engine API for this node's containers there (off by default). */
import path from 'node:path';
import { FlagError } from './flags.js';

/** The flag's type for parseFlags. */
export const dockerSocketFlags = { 'docker-socket': 'string' } as const;

/** Its lines in --help. */
export const dockerSocketFlagsUsage = `  --docker-socket PATH  also serve the Docker Engine API (docker CLI, dockerode) for this node's containers on
                        this unix socket, e.g. /run/lantern/docker.sock; mode 0660 owner root: root alone may use it
`;

/** The absolute socket path, or undefined when the flag is absent. */
export function dockerSocketFromFlags(flags: Record<string, string | boolean | undefined>): string | undefined {
  const v = flags['docker-socket'];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '' || v === 'true') throw new FlagError('--docker-socket: name a unix socket path such as /run/lantern/docker.sock');
  if (flags['no-agent']) throw new FlagError('--docker-socket serves this machine\'s containers: it cannot be used with --no-agent');
  // A unix socket path is limited to 107 bytes (sun_path).
  const abs = path.resolve(v);
  if (Buffer.byteLength(abs) > 107) throw new FlagError(`--docker-socket: "${abs}" is longer than the 107 bytes a unix socket path may have`);
  return abs;
}
