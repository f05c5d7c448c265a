/** The mounter of node-local PVs (spec.local, spec.hostPath): the directory itself, made at first use. */
import { chmod, mkdir, stat } from 'node:fs/promises';
import type { Pod } from '../../api/pod.js';
import type { VolumeMounter, VolumeToMount } from './types.js';

const pathOf = (v: VolumeToMount): string | undefined => {
  const s = v.pv.spec as { local?: { path?: unknown }; hostPath?: { path?: unknown } };
  const p = s.local?.path ?? s.hostPath?.path;
  return typeof p === 'string' ? p : undefined;
};

/** local and hostPath PVs: bind the directory; a local-path volume's directory is made here, world-writable as k3s makes it. */
export class LocalMounter implements VolumeMounter {
  readonly name = 'local';

  canMount(v: VolumeToMount): boolean { return pathOf(v) !== undefined; }

  async mount(v: VolumeToMount, _pod: Pod): Promise<string> {
    const dir = pathOf(v);
    if (dir === undefined || !dir.startsWith('/')) throw new Error(`volume ${v.pvName}: its local/hostPath path must be absolute`);
    const existed = await stat(dir).then((s) => s.isDirectory(), () => false);
    if (!existed) {
      await mkdir(dir, { recursive: true });
      await chmod(dir, 0o777); // as k3s's local-path helper: a non-root container user can write
    }
    return dir;
  }

  /** Nothing is mounted on the host for a directory; the reclaimer removes it when a Delete volume is released. */
  async unmount(): Promise<void> {}
}
