/**
 * Column tables laid out like Go's text/tabwriter, which Docker (minwidth 10, padding 3) and kubectl
 * (minwidth 6, padding 3) both use: each column but the last is as wide as its widest cell plus the
 * padding, and at least minWidth.
 */

import { escapeControl } from '../../api/printers/escape.js';

/** Table layout parameters. */
export interface TableStyle { minWidth: number; padding: number }

/** Docker's `docker ps` / `docker images` layout. */
export const dockerStyle: TableStyle = { minWidth: 10, padding: 3 };
/** kubectl's `get` layout. */
export const kubeStyle: TableStyle = { minWidth: 6, padding: 3 };

/** Optional per-cell decoration applied after padding (colour), so widths stay right. */
export type Decorate = (text: string, row: number, col: number) => string;

/** Render a header row and body rows; every line ends with "\n". */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], style: TableStyle, decorate?: Decorate): string {
  // Every cell passes here: control characters from objects (a node's status) become visible escapes.
  const all = [header, ...rows].map((r) => r.map(escapeControl));
  const cols = Math.max(...all.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < cols - 1; c++) {
    const widest = Math.max(...all.map((r) => (r[c] ?? '').length));
    widths.push(Math.max(style.minWidth, widest + style.padding));
  }
  return all.map((r, ri) => {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const cell = r[c] ?? '';
      const padded = c < cols - 1 ? cell.padEnd(widths[c]!) : cell;
      line += decorate && ri > 0 ? decorate(padded, ri - 1, c) : padded;
    }
    return line.trimEnd() + '\n';
  }).join('');
}
