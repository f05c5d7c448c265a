/**
 * The volumes hook: the host side of hostPath, persistentVolumeClaim (a named volume) and emptyDir
 * volumes, as bind or tmpfs mounts of each container; configMap and secret volumes are the config
 * hook's. Poststop removes the pod's directory (emptyDirs and config files) with the pod.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Container, Pod } from '../../../api/pod.js';
import { parseBytes } from '../../../api/quantity.js';
import type { MountSpec } from '../../../runtime/types.js';
import type { VolumePaths } from '../../context.js';
import type { ContainerPlan, HookResult, PodHook, PodRun } from '../pod-hook.js';
import type { ApiClient } from '../../../client/types.js';
import type { VolumeMounter } from '../../volumes/types.js';
import { PodClaims, asWait } from '../../volumes/pod-claims.js';
import type { ClaimReader } from '../../volumes/claim-cache.js';

/** The mount of one volumeMount whose volume is not a configMap or secret (those are left undefined). */
async function mountFor(pod: Pod, m: NonNullable<Container['volumeMounts']>[number], paths: VolumePaths, claimSource: (claim: string, readOnly: boolean) => Promise<string>): Promise<MountSpec | undefined> {
  const vol = (pod.spec.volumes ?? []).find((v) => v.name === m.name);
  if (!vol) throw new Error(`volume ${JSON.stringify(m.name)} is not defined in spec.volumes`);
  let source: string;
  let readOnly = m.readOnly ?? false;
  if (vol.configMap || vol.secret) return undefined;
  if (vol.hostPath) {
    source = vol.hostPath.path;
    // Docker creates a missing host directory for -v; Kubernetes' DirectoryOrCreate does the same.
    if (vol.hostPath.type === undefined || vol.hostPath.type === '' || vol.hostPath.type === 'DirectoryOrCreate') {
      await mkdir(source, { recursive: true }).catch(() => undefined);
    }
  } else if (vol.persistentVolumeClaim) {
    // The claim's bound PV, mounted by its mounter (VolumesHook.claimSource); no claim, no volume, as Kubernetes.
    source = await claimSource(vol.persistentVolumeClaim.claimName, vol.persistentVolumeClaim.readOnly ?? false);
    readOnly ||= vol.persistentVolumeClaim.readOnly ?? false;
  } else if (vol.emptyDir?.medium === 'Memory') {
    // Lantern mounts a memory-backed emptyDir as a tmpfs per container (Kubernetes shares one per pod).
    const size = vol.emptyDir.sizeLimit !== undefined ? parseBytes(vol.emptyDir.sizeLimit) : undefined;
    return { destination: m.mountPath, source: 'tmpfs', type: 'tmpfs', readOnly: m.readOnly ?? false, options: ['nosuid', 'nodev', 'mode=1777', ...(size ? [`size=${size}`] : [])] };
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
  return { destination: m.mountPath, source, type: 'bind', readOnly, options: ['rbind'] };
}

/** The volumes hook of one pod. */
export class VolumesHook implements PodHook {
  readonly name = 'volumes';
  private readonly claims: PodClaims | undefined;
  constructor(private readonly paths: VolumePaths, api?: ApiClient, mounters: readonly VolumeMounter[] = [], claims?: ClaimReader) {
    this.claims = api ? new PodClaims(api, mounters, claims) : undefined;
  }

  async prestartContainer(run: PodRun, plan: ContainerPlan): Promise<HookResult> {
    const mounts = plan.container.volumeMounts ?? [];
    const claimSource = async (claim: string, readOnly: boolean): Promise<string> => {
      if (!this.claims) throw new Error(`persistentVolumeClaim "${claim}": this node has no API client to resolve claims`);
      return this.claims.mount(run.pod, claim, readOnly);
    };
    try {
      for (let i = 0; i < mounts.length; i++) plan.mounts[i] ??= await mountFor(run.pod, mounts[i]!, this.paths, claimSource);
    } catch (e) {
      const wait = asWait(e);
      if (wait) return wait;
      throw e;
    }
    return undefined;
  }

  async poststop(run: PodRun): Promise<void> {
    await this.claims?.unmountAll(run.pod);
    await rm(this.paths.podDir(run.uid), { recursive: true, force: true });
  }
}
