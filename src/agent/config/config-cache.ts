/**
 * The ConfigMaps and Secrets this node's pods reference, from watches rather than a read per start:
 * one informer per referenced object (list and watch with fieldSelector metadata.name=NAME, what a
 * node may read: the kubelet's "Watch" strategy), opened while some pod of the node references it.
 * A change wakes the pods that reference the object.
 */
import { ApiError } from '../../api/errors.js';
import type { ApiObject } from '../../api/meta.js';
import type { Pod } from '../../api/pod.js';
import { podReferences } from '../../api/pod-config-refs.js';
import type { InformerSource } from '../../client/kit/informer.js';
import { FollowedInformers, listedWithin, type InformerBase } from '../followed-informers.js';
import type { ConfigReader } from './config-sources.js';
import type { NodeRecord } from '../offline/record.js';
import { fromRecordOr, keepInRecord } from '../offline/config-record.js';

/** Where the config hook reads ConfigMaps and Secrets, and tells which ones a pod follows. */
export interface ConfigStore extends ConfigReader {
  /** Follow every object the pod references; wake runs when one of them changes. Idempotent. */
  track(pod: Pod, wake: () => void): void;
  /** The pod is gone: stop following for it. */
  untrack(uid: string): void;
}

/** How long a read waits for an object's first list before it fails (and the pod retries). */
const firstListMs = 5000;

const sourceOf = (resource: string, namespace: string, name: string): InformerSource =>
  ({ resource, namespace, fieldSelector: `metadata.name=${name}` });

/** The node's watched ConfigMaps and Secrets. */
export class ConfigCache implements ConfigStore {
  private readonly informers: FollowedInformers<ApiObject>;

  /** record: the node's on-disk copies (edge autonomy), read when the API cannot be reached. */
  constructor(private readonly base: InformerBase<ApiObject>, private readonly record?: NodeRecord) {
    this.informers = new FollowedInformers(base);
  }

  track(pod: Pod, wake: () => void): void {
    const uid = pod.metadata.uid ?? '';
    const ns = pod.metadata.namespace ?? 'default';
    for (const resource of ['configmaps', 'secrets']) {
      for (const name of podReferences(pod, resource)) this.informers.follow(sourceOf(resource, ns, name), uid, wake);
    }
  }

  untrack(uid: string): void { this.informers.unfollow(uid); }

  /** The held copy; NotFound when the object does not exist. An object no pod follows is read once. */
  async get<T extends ApiObject>(resource: string, name: string, namespace?: string): Promise<T> {
    const ns = namespace ?? 'default';
    const followed = this.informers.find(sourceOf(resource, ns, name));
    if (!followed) return this.base.api.get<T>(resource, name, ns);
    // Cut off from the server (a list failed already, or none came in time): the node's own copy.
    if (!followed.informer.hasSynced() && (followed.lastError !== undefined || !await listedWithin(followed, firstListMs))) {
      return fromRecordOr<T>(this.record, resource, ns, name, () => new Error(`the node has not listed it yet (${followed.lastError ?? 'waiting for the API'}); retrying`));
    }
    const obj = followed.informer.get(`${ns}/${name}`);
    keepInRecord(this.record, resource, ns, name, obj);
    if (!obj) throw new ApiError('NotFound', `${resource} "${name}" not found`);
    return obj as T;
  }

  stop(): void { this.informers.stop(); }
}
