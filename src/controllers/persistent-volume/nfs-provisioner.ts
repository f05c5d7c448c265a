/**
 * The nfs provisioner (StorageClass provisioner lantern.dev/nfs, as nfs-subdir-external-provisioner):
 * a subdirectory per claim, `<namespace>-<claim>-<pv>`, on one NFS export, made and removed by the
 * server through NfsExports (the daemon gives it the libnfs helper: agent/volumes/nfs-helper.ts, no
 * kernel nfs needed; controllers do no node I/O themselves); the PV is `nfs` and ReadWriteMany-capable,
 * mounted by every node that runs a pod of it. Parameters: server, share (the export path), and
 * port / mountPort when the server is not on the standard ports (they become the PV's mountOptions).
 */
import path from 'node:path';
import type { Node } from '../../api/node.js';
import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeSpec, StorageClass } from '../../api/schema/storage.js';
import { ProvisioningError, type Provisioner } from './provisioner.js';

/** An export and how to reach it (port=/mountport= mount options for non-standard ports). */
export interface NfsTarget { server: string; path: string; mountOptions?: string[] }

/** Directory operations below an export, run where the server is (mkdir -p; rm -r that succeeds when already gone). */
export interface NfsExports {
  mkdir(t: NfsTarget, sub: string): Promise<void>;
  rmr(t: NfsTarget, sub: string): Promise<void>;
}

/** The StorageClass provisioner name this serves. */
export const NFS_PROVISIONER = 'lantern.dev/nfs';

/** The export a class names, checked with field paths; port options become mount options. */
export function nfsClassTarget(sc: StorageClass): NfsTarget {
  const p = sc.parameters ?? {};
  const where = `StorageClass ${sc.metadata.name}`;
  const server = p.server;
  if (!server || !/^[A-Za-z0-9.:[\]-]{1,253}$/.test(server)) throw new ProvisioningError(`${where}: parameters.server: expected the NFS server's host name or address, got ${JSON.stringify(server ?? '')}`);
  const share = p.share ?? p.path;
  if (!share || !share.startsWith('/') || share.split('/').includes('..')) throw new ProvisioningError(`${where}: parameters.share: expected the absolute export path, e.g. /srv/nfs, got ${JSON.stringify(share ?? '')}`);
  const mountOptions: string[] = [];
  for (const [key, opt] of [['port', 'port'], ['mountPort', 'mountport'], ['nfsvers', 'nfsvers']] as const) {
    const v = p[key];
    if (v === undefined) continue;
    if (!/^\d{1,5}$/.test(v)) throw new ProvisioningError(`${where}: parameters.${key}: expected a number, got ${JSON.stringify(v)}`);
    mountOptions.push(`${opt}=${v}`);
  }
  return { server, path: share.replace(/\/+$/, '') || '/', mountOptions };
}

/** The subdirectory name of a claim's volume: <namespace>-<claim>-<pv>, as nfs-subdir-external-provisioner. */
export function nfsSubdirName(claim: PersistentVolumeClaim): string {
  return `${claim.metadata.namespace ?? 'default'}-${claim.metadata.name}-pvc-${claim.metadata.uid ?? ''}`;
}

/** lantern.dev/nfs: a subdirectory per claim on the class's export. */
export class NfsProvisioner implements Provisioner {
  readonly name = NFS_PROVISIONER;
  constructor(private readonly exports: NfsExports) {}

  async provision(claim: PersistentVolumeClaim, sc: StorageClass, _node: Node | undefined): Promise<PersistentVolumeSpec> {
    const t = nfsClassTarget(sc);
    const sub = nfsSubdirName(claim);
    try {
      await this.exports.mkdir(t, `/${sub}`);
    } catch (e) {
      throw new ProvisioningError(`cannot make the volume's directory on NFS server ${t.server}:${t.path}: ${(e as Error).message}`);
    }
    return {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: claim.spec.accessModes ?? ['ReadWriteMany'],
      nfs: { server: t.server, path: path.posix.join(t.path, sub) },
      ...(t.mountOptions && t.mountOptions.length > 0 ? { mountOptions: t.mountOptions } : {}),
    };
  }

  /** Reclaim policy Delete: remove the subdirectory (through its parent, the share); a missing one is done. */
  async delete(pv: PersistentVolume): Promise<'deleted'> {
    const nfs = pv.spec.nfs;
    if (!nfs) return 'deleted';
    const share = path.posix.dirname(nfs.path);
    const sub = path.posix.basename(nfs.path);
    const t: NfsTarget = { server: nfs.server, path: share, mountOptions: pv.spec.mountOptions ?? [] };
    try {
      await this.exports.rmr(t, `/${sub}`);
    } catch (e) {
      throw new ProvisioningError(`cannot remove ${nfs.path} on NFS server ${nfs.server}: ${(e as Error).message}`);
    }
    return 'deleted';
  }
}
