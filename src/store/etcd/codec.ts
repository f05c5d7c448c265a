/**
 * Mapping between our string keys/revisions and etcd's wire shapes (keys and values are bytes,
 * revisions are int64 carried as decimal strings). Keys live under a byte prefix, so one etcd can hold
 * several stores (the conformance suite) or sit beside other users of the same cluster.
 */
import type { IKeyValue } from 'etcd3';
import type { KeyValue } from '../types.js';

/** Parses an etcd int64 (a decimal string) into a safe JS number; fails loudly past 2^53. */
export function rev(v: string | number | undefined): number {
  const n = typeof v === 'number' ? v : Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new RangeError(`etcd store: revision ${String(v)} is beyond 2^53`);
  return n;
}

/** The smallest byte string above every key that starts with p (etcd's "range_end" for a prefix). */
export function bytesPrefixEnd(p: Buffer): Buffer {
  const end = Buffer.from(p);
  for (let i = end.length - 1; i >= 0; i--) {
    const b = end[i] ?? 0;
    if (b < 0xff) { end[i] = b + 1; return end.subarray(0, i + 1); }
  }
  return Buffer.from([0]); // etcd: "\0" as range_end means "every key >= key"
}

/** Encodes store keys under one etcd key prefix. */
export class KeySpace {
  private readonly root: Buffer;

  constructor(prefix: string) { this.root = Buffer.from(prefix, 'utf8'); }

  /** The etcd key of a store key. */
  key(k: string): Buffer { return Buffer.concat([this.root, Buffer.from(k, 'utf8')]); }

  /** The etcd [key, range_end) covering every store key that starts with p. */
  range(p: string): { key: Buffer; range_end: Buffer } {
    const key = this.key(p);
    return { key, range_end: bytesPrefixEnd(key) };
  }

  /** Our KeyValue from etcd's, the prefix stripped. */
  kv(e: IKeyValue): KeyValue {
    return {
      key: Buffer.from(e.key).subarray(this.root.length).toString('utf8'),
      value: Buffer.from(e.value).toString('utf8'),
      createRevision: rev(e.create_revision),
      modRevision: rev(e.mod_revision),
    };
  }
}
