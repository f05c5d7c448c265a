import { readFile } from 'node:fs/promises';
import { FlagError } from './flags.js';

/**
 * The token `lanternd agent` and `lanternd sim` join with: --token TEXT, --token-file FILE, or the
 * environment variable LANTERN_TOKEN (as k3s' --token, --token-file, K3S_TOKEN). The file and the
 * environment keep it out of `ps`. Undefined when none is given. The entry point hands in its environment.
 */
export async function tokenFrom(flags: Record<string, string | boolean>, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const text = typeof flags.token === 'string' ? flags.token : undefined;
  const file = typeof flags['token-file'] === 'string' ? flags['token-file'] : undefined;
  if (text !== undefined && file !== undefined) throw new FlagError('give the token once: --token or --token-file, not both');
  if (file !== undefined) {
    let content: string;
    try { content = await readFile(file, 'utf8'); } catch (e) {
      throw new FlagError(`--token-file ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    const token = content.trim();
    if (token === '') throw new FlagError(`--token-file ${file} is empty: copy DATA_DIR/node-token from the server into it`);
    return token;
  }
  if (text !== undefined) return text.trim();
  const fromEnv = env.LANTERN_TOKEN?.trim();
  return fromEnv === '' ? undefined : fromEnv;
}
