/** `get controllerrevisions`: NAME CONTROLLER REVISION AGE, as kubectl prints them. */
import type { ControllerRevision } from '../schema/controllerrevision.js';
import { ageColumn, column, nameColumn, type TableDefinition } from './table.js';

const controller = (r: ControllerRevision): string => {
  const o = r.metadata.ownerReferences?.find((x) => x.controller);
  return o ? `${o.kind.toLowerCase()}.${o.apiVersion.split('/')[0]}/${o.name}` : '<none>';
};

/** NAME CONTROLLER REVISION AGE. */
export const controllerRevisionTable: TableDefinition<ControllerRevision> = {
  columns: [nameColumn, column<ControllerRevision>('Controller', controller), column<ControllerRevision>('Revision', (r) => String(r.revision), 0, 'integer'), ageColumn],
};
