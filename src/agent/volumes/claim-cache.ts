/**
 * The node's watched copy of claims and volumes (the kubelet's informers): the volumes hook resolves
 * a pod's claim from it instead of two API reads per container start and per retry of a waiting one.
 * Until its first lists are in (or when it holds no such object yet: a claim just made), it reads
 * the API, so a container never waits on the cache.
 */
import type { PersistentVolume, PersistentVolumeClaim } from '../../api/schema/storage.js';
import type { ApiClient } from '../../client/types.js';
import { Informer } from '../../client/kit/informer.js';
import { isApiError } from '../../client/kit/index.js';

/** Where the volumes hook reads a claim and its volume (undefined: there is none). */
export interface ClaimReader {
  claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  volume(name: string): Promise<PersistentVolume | undefined>;
}

const missing = (e: unknown): undefined => { if (isApiError(e, 'NotFound')) return undefined; throw e; };

/** Reads straight from the API (tests, a node without the cache). */
export function apiClaimReader(api: ApiClient): ClaimReader {
  return {
    claim: (ns, name) => api.get<PersistentVolumeClaim>('persistentvolumeclaims', name, ns).catch(missing),
    volume: (name) => api.get<PersistentVolume>('persistentvolumes', name, undefined).catch(missing),
  };
}

/** Informers over every claim and volume (a node may list and watch them), read through ClaimReader. */
export class ClaimCache implements ClaimReader {
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly direct: ClaimReader;

  constructor(api: ApiClient, log: (msg: string) => void) {
    this.claims = new Informer<PersistentVolumeClaim>({ api, resource: 'persistentvolumeclaims', log: (m) => log(`claims: ${m}`) });
    this.volumes = new Informer<PersistentVolume>({ api, resource: 'persistentvolumes', log: (m) => log(`volumes: ${m}`) });
    this.direct = apiClaimReader(api);
  }

  /** Start listing and watching; resolves once both first lists are in. */
  async start(): Promise<void> { await Promise.all([this.claims.start(), this.volumes.start()]); }

  stop(): void { this.claims.stop(); this.volumes.stop(); }

  async claim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined> {
    const c = this.claims.hasSynced() ? this.claims.get(`${namespace}/${name}`) : undefined;
    return c ?? this.direct.claim(namespace, name);
  }

  async volume(name: string): Promise<PersistentVolume | undefined> {
    const v = this.volumes.hasSynced() ? this.volumes.get(name) : undefined;
    return v ?? this.direct.volume(name);
  }
}
