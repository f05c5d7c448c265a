import type { ObjectMeta } from './schema/meta.js';
export type { ObjectMeta, OwnerReference } from './schema/meta.js';

/** Every stored object: apiVersion, kind, metadata, and kind-specific spec/status. */
export interface ApiObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

/** A page of objects of one kind, as returned by list calls. */
export interface ObjectList<T extends ApiObject = ApiObject> {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion: string };
  items: T[];
}

/** One event of a watch stream. */
export interface WatchEvent<T extends ApiObject = ApiObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}
