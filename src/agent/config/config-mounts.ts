/** The configMap and secret volumes of a container: files written under the pod's directory, mounted read-only. */
import path from 'node:path';
import type { Container, Pod } from '../../api/pod.js';
import type { MountSpec } from '../../runtime/types.js';
import { volumeFiles, type ConfigSources } from './config-sources.js';
import { ensureSecretTmpfs, writeConfigVolume } from './config-volume.js';

/**
 * Fill mounts[i] for every volumeMount i of the container whose volume is a configMap or secret:
 * its files are (re)written into PODDIR/configmaps/NAME or PODDIR/secrets/NAME (a tmpfs) first.
 */
export async function configMounts(pod: Pod, container: Container, podDir: string, sources: ConfigSources, mounts: Array<MountSpec | undefined>): Promise<void> {
  const wanted = container.volumeMounts ?? [];
  for (let i = 0; i < wanted.length; i++) {
    const m = wanted[i]!;
    const vol = (pod.spec.volumes ?? []).find((v) => v.name === m.name);
    if (!vol || !(vol.configMap || vol.secret)) continue;
    const source = path.join(podDir, vol.secret ? 'secrets' : 'configmaps', vol.name);
    const files = await volumeFiles(pod, vol.name, sources);
    if (vol.secret) await ensureSecretTmpfs(source);
    await writeConfigVolume(source, files, vol.secret !== undefined);
    // Kubernetes mounts these read-only whatever the mount says; a subPath names one file.
    mounts[i] = { destination: m.mountPath, source: m.subPath ? path.join(source, m.subPath) : source, type: 'bind', readOnly: true, options: ['rbind'] };
  }
}
