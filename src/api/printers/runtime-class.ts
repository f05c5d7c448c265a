/** `get runtimeclasses`: kubectl's NAME HANDLER AGE. */
import type { RuntimeClass } from '../schema/runtime-class.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

/** NAME HANDLER AGE; never LABELS. */
export const runtimeClassTable: TableDefinition<RuntimeClass> = {
  columns: [nameColumn, column<RuntimeClass>('Handler', (c) => c.handler), ageColumn],
  labelsColumn: false,
};
