/**
 * A kind's `get` table: its columns as kube-apiserver's server-side Table declares them
 * (TableColumnDefinition: name, type, priority 1 for -o wide), each with a pure cell function.
 * lcctl upper-cases the names and adds NAMESPACE (-A) and LABELS (--show-labels) as kubectl does.
 */
import type { ApiObject } from '../meta.js';
import { kubeAge } from './age.js';

/** One column: kube-apiserver's TableColumnDefinition plus how to fill its cell. */
export interface TableColumn<T extends ApiObject = ApiObject> {
  /** As Kubernetes names it ("Last Seen", "Up-to-date"); lcctl prints it upper-cased. */
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** "name" for the column that holds the object's name. */
  readonly format?: 'name';
  /** 0: always shown; 1: with -o wide only. */
  readonly priority: 0 | 1;
  /** The cell text of one object at time `now` (ages are relative to it). */
  cell(obj: T, now: number): string;
}

/** A kind's table: its columns, and optionally the order of its rows. */
export interface TableDefinition<T extends ApiObject = ApiObject> {
  readonly columns: readonly TableColumn<T>[];
  /** Row order when it is not the list's (events: oldest first, as kubectl). */
  order?(a: T, b: T): number;
  /** False for the kinds whose table has never shown LABELS with --show-labels (kept as it was). */
  readonly labelsColumn?: false;
}

/** NAME: the object's name. */
export const nameColumn: TableColumn = { name: 'Name', type: 'string', format: 'name', priority: 0, cell: (o) => o.metadata.name };

/** AGE: since creationTimestamp, in kubectl's compact form. */
export const ageColumn: TableColumn = { name: 'Age', type: 'string', priority: 0, cell: (o, now) => kubeAge(o.metadata.creationTimestamp, now) };

/** A column of text, shown always (priority 0) or only with -o wide (priority 1). */
export function column<T extends ApiObject>(name: string, cell: (obj: T, now: number) => string, priority: 0 | 1 = 0, type: TableColumn['type'] = 'string'): TableColumn<T> {
  return { name, type, priority, cell };
}

/** kubectl's default table for a kind without its own: NAME and AGE. */
export const defaultTable: TableDefinition = { columns: [nameColumn, ageColumn] };
