/** `get configmaps` (NAME DATA AGE) and `get secrets` (NAME TYPE DATA AGE) as kubectl prints them. */
import type { ConfigMap, Secret } from '../schema/config.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

const count = (...maps: (Record<string, string> | undefined)[]): string => String(maps.reduce((n, m) => n + Object.keys(m ?? {}).length, 0));

/** ConfigMaps: DATA counts data and binaryData keys. */
export const configMapTable: TableDefinition<ConfigMap> = {
  columns: [nameColumn, column<ConfigMap>('Data', (c) => count(c.data, c.binaryData), 0, 'integer'), ageColumn],
};

/** Secrets: TYPE (Opaque by default) and the number of data keys. */
export const secretTable: TableDefinition<Secret> = {
  columns: [nameColumn, column<Secret>('Type', (s) => s.type ?? 'Opaque'), column<Secret>('Data', (s) => count(s.data), 0, 'integer'), ageColumn],
};
