/**
 * One write turned into one event: the conflict checks run against the state inside the batch's
 * transaction (so earlier writes of the same batch are seen) and nothing is written on conflict.
 */
import { StoreConflictError, type StoreEvent } from '../types.js';
import type { Statements } from './statements.js';

/** A queued write, as the group committer carries it. */
export type WriteOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expectedRevision: number }
  | { kind: 'delete'; key: string; expectedRevision: number | undefined };

/**
 * Checks op against the current row and, when it holds, records it at revision rev.
 * Throws StoreConflictError before touching anything when the condition fails.
 */
export function applyWrite(st: Statements, op: WriteOp, rev: number): StoreEvent {
  const cur = st.get(op.key);
  let event: StoreEvent;
  switch (op.kind) {
    case 'create':
      if (cur !== undefined) throw new StoreConflictError(op.key, 'exists');
      event = { type: 'put', kv: { key: op.key, value: op.value, createRevision: rev, modRevision: rev }, revision: rev };
      break;
    case 'update':
      if (cur === undefined) throw new StoreConflictError(op.key, 'missing');
      if (cur.modRevision !== op.expectedRevision) throw new StoreConflictError(op.key, 'stale');
      event = {
        type: 'put', kv: { key: op.key, value: op.value, createRevision: cur.createRevision, modRevision: rev },
        prev: cur, revision: rev,
      };
      break;
    case 'delete':
      if (cur === undefined) throw new StoreConflictError(op.key, 'missing');
      if (op.expectedRevision !== undefined && cur.modRevision !== op.expectedRevision) {
        throw new StoreConflictError(op.key, 'stale');
      }
      event = { type: 'delete', kv: { key: op.key, value: '', createRevision: 0, modRevision: rev }, prev: cur, revision: rev };
      break;
  }
  st.record(event);
  return event;
}
