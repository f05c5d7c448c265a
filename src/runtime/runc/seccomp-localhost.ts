import { open } from 'node:fs/promises';
import { isAbsolute, join, normalize } from 'node:path';
import { ApiError } from '../../api/errors.js';
import { MAX_SECCOMP_PROFILE_BYTES, parseSeccompProfile, type SeccompProfile } from '../../api/seccomp-profile.js';
import type { ContainerConfig } from '../types.js';

/**
 * The Docker-format profile of a Localhost seccompProfile: the inline content lcctl run sent, else the
 * node's file `seccompDir/<localhostProfile>` (kubelet's <root>/seccomp/ in Kubernetes). Undefined for
 * RuntimeDefault and Unconfined. Bad or missing profiles are the user's to fix (Invalid).
 */
export async function localhostSeccompProfile(config: ContainerConfig, seccompDir: string): Promise<SeccompProfile | undefined> {
  const choice = config.seccompProfile;
  if (choice?.type !== 'Localhost' || config.privileged === true) return undefined;
  const name = choice.localhostProfile ?? '';
  if (choice.content !== undefined) return parseSeccompProfile(choice.content, `seccomp profile ${name || '(inline)'}`);
  if (name === '' || isAbsolute(name) || normalize(name).split('/').includes('..')) {
    throw new ApiError('Invalid', `seccomp localhostProfile ${JSON.stringify(name)} must be a relative path below the node's seccomp directory (${seccompDir})`);
  }
  const path = join(seccompDir, name);
  let text: string;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(MAX_SECCOMP_PROFILE_BYTES + 1);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      text = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ApiError('Invalid', code === 'ENOENT'
      ? `seccomp profile ${path} does not exist on this node: put the profile there, or send it inline (lcctl run --security-opt seccomp=FILE)`
      : `cannot read seccomp profile ${path}: ${(e as Error).message}`);
  }
  return parseSeccompProfile(text, `seccomp profile ${path}`);
}
