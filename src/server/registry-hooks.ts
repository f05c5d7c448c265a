/**
 * What a kind's registry does on the API server besides storing (kube-apiserver's registry
 * strategies that allocate: a Service's cluster IP and node ports). ApiService calls the hook of a
 * resource around each write; a reservation is committed when the write is stored, aborted otherwise.
 */
import type { ApiObject } from '../api/meta.js';

/** What a hook took for one write: kept on commit (and what the old object held is given back), given back on abort. */
export interface Reservation {
  commit(): void;
  abort(): void;
}

/** A resource's allocation hook; create and update run synchronously so that two writes never interleave. */
export interface RegistryHook {
  /** Loads what the hook knows (e.g. rebuilds allocations from the stored objects); called before each write. */
  ready(): Promise<void>;
  /** Fill in and reserve what a new object needs; throws an ApiError naming the field when it cannot. */
  create(obj: ApiObject): Reservation;
  /** The same for an update of stored into next (immutable fields, carried-over allocations). */
  update(stored: ApiObject, next: ApiObject): Reservation;
  /** The object is gone from the store: free what it held. */
  deleted(obj: ApiObject): void;
  /** Refuse a delete (throw an ApiError saying why and what to do) while something still uses the object. */
  beforeDelete?(obj: ApiObject): Promise<void>;
}

/** A reservation that holds nothing. */
export const emptyReservation: Reservation = { commit() {}, abort() {} };
