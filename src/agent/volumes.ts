import { chmod, mkdir } from 'node:fs/promises';
import { parseBytes } from '../api/quantity.js';
import path from 'node:path';
import type { Pod, Container } from '../api/pod.js';
import type { MountSpec } from '../runtime/types.js';
import { volumeFiles, type ConfigSources } from './config-sources.js';
import { ensureSecretTmpfs, writeConfigVolume } from './config-volume.js';

/** Where a node keeps pod-local and named volumes. */
export interface VolumePaths {
  /** emptyDir volumes live under podDir/volumes/NAME and go away with the pod. */
  podDir(uid: string): string;
  /** Named volumes (docker -v NAME:/path) outlive pods, as Docker's. */
  namedVolume(name: string): string;
}

/** Create the host side of every volume a container mounts and return its bind mounts. */
export async function prepareMounts(pod: Pod, container: Container, paths: VolumePaths, sources?: ConfigSources): Promise<MountSpec[]> {
  const mounts: MountSpec[] = [];
  for (const m of container.volumeMounts ?? []) {
    const vol = (pod.spec.volumes ?? []).find((v) => v.name === m.name);
    if (!vol) throw new Error(`volume ${JSON.stringify(m.name)} is not defined in spec.volumes`);
    let source: string;
    let readOnly = m.readOnly ?? false;
    if (vol.hostPath) {
      source = vol.hostPath.path;
      // Docker creates a missing host directory for -v; Kubernetes' DirectoryOrCreate does the same.
      if (vol.hostPath.type === undefined || vol.hostPath.type === '' || vol.hostPath.type === 'DirectoryOrCreate') {
        await mkdir(source, { recursive: true }).catch(() => undefined);
      }
    } else if (vol.persistentVolumeClaim) {
      source = paths.namedVolume(vol.persistentVolumeClaim.claimName);
      readOnly ||= vol.persistentVolumeClaim.readOnly ?? false;
      await mkdir(source, { recursive: true });
    } else if (vol.configMap || vol.secret) {
      if (!sources) throw new Error(`volume ${JSON.stringify(vol.name)}: this node cannot read ConfigMaps and Secrets`);
      source = path.join(paths.podDir(pod.metadata.uid ?? pod.metadata.name), vol.secret ? 'secrets' : 'configmaps', vol.name);
      const files = await volumeFiles(pod, vol.name, sources);
      if (vol.secret) await ensureSecretTmpfs(source);
      await writeConfigVolume(source, files, vol.secret !== undefined);
      // Kubernetes mounts these read-only whatever the mount says; a subPath names one file.
      mounts.push({ destination: m.mountPath, source: m.subPath ? path.join(source, m.subPath) : source, type: 'bind', readOnly: true, options: ['rbind'] });
      continue;
    } else if (vol.emptyDir?.medium === 'Memory') {
      // Lantern mounts a memory-backed emptyDir as a tmpfs per container (Kubernetes shares one per pod).
      const size = vol.emptyDir.sizeLimit !== undefined ? parseBytes(vol.emptyDir.sizeLimit) : undefined;
      mounts.push({ destination: m.mountPath, source: 'tmpfs', type: 'tmpfs', readOnly: m.readOnly ?? false, options: ['nosuid', 'nodev', 'mode=1777', ...(size ? [`size=${size}`] : [])] });
      continue;
    } else {
      source = path.join(paths.podDir(pod.metadata.uid ?? pod.metadata.name), 'volumes', vol.name);
      await mkdir(source, { recursive: true });
      // World-writable as in Kubernetes, so a non-root container user can write; mkdir's mode is umasked.
      await chmod(source, 0o777);
    }
    if (m.subPath) {
      source = path.join(source, m.subPath);
      await mkdir(source, { recursive: true });
    }
    mounts.push({ destination: m.mountPath, source, type: 'bind', readOnly, options: ['rbind'] });
  }
  return mounts;
}
