/** GPU columns for `lcctl top nodes` (GPU(used/total), GPU%): only when some node has accelerators, so the plain table stays kubectl's. */
import type { Node } from '../../api/node.js';
import { gpuRows } from './gpu-table.js';

/** Add GPU and GPU% to the header and to each row (rows start with the node name). */
export function withGpuColumns(header: string[], rows: string[][], nodes: readonly Node[]): { header: string[]; rows: string[][] } {
  const all = gpuRows(nodes);
  if (all.length === 0) return { header, rows };
  return {
    header: [...header, 'GPU(used/total)', 'GPU%'],
    rows: rows.map((r) => {
      const mine = all.filter((g) => g.node === r[0]);
      if (mine.length === 0) return [...r, '-', '-'];
      const utils = mine.map((g) => g.utilization).filter((u): u is number => u !== undefined);
      const mean = utils.length === 0 ? '-' : `${Math.round(utils.reduce((s, u) => s + u, 0) / utils.length)}%`;
      return [...r, `${mine.filter((g) => g.pod !== undefined).length}/${mine.length}`, mean];
    }),
  };
}
