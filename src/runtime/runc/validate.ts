import { ApiError } from '../../api/errors.js';
import type { ContainerConfig } from '../types.js';
import { assertValidId } from './container-dir.js';
import { signalNumber } from './proc.js';

/** True when id is acceptable as a container id (and so as a directory name). */
export function isValidId(id: string): boolean {
  try {
    assertValidId(id);
    return true;
  } catch {
    return false;
  }
}

/** Rejects configs runc would fail on later with a less helpful message. */
export function validateConfig(c: ContainerConfig): void {
  assertValidId(c.id);
  if (c.args.length === 0) throw new ApiError('Invalid', `container ${c.id} has no command: set args`);
  for (const m of c.mounts) {
    if (!m.destination.startsWith('/')) throw new ApiError('Invalid', `mount destination "${m.destination}" must be an absolute path`);
    if (m.type === 'bind' && !m.source.startsWith('/')) throw new ApiError('Invalid', `bind mount source "${m.source}" must be an absolute path`);
  }
  if (c.netns !== 'host' && c.netns !== 'none' && !c.netns.startsWith('/')) {
    throw new ApiError('Invalid', `netns "${c.netns}" must be 'host', 'none' or the path of a network namespace`);
  }
  if (c.rootfsPath !== undefined && (!c.rootfsPath.startsWith('/') || c.rootfsLayers.length > 0)) {
    throw new ApiError('Invalid', `rootfsPath "${c.rootfsPath}" must be an absolute path, with rootfsLayers empty: give one or the other`);
  }
  if (c.stopSignal) {
    try {
      signalNumber(c.stopSignal);
    } catch (e) {
      throw new ApiError('Invalid', (e as Error).message);
    }
  }
}

/** Wraps runtime failures into catalogue errors; a bad command is the user's to fix. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/executable file not found|no such file or directory|permission denied/.test(msg)) {
    return new ApiError('Invalid', `${msg}: check the command and the image`);
  }
  return new ApiError('Internal', msg);
}
