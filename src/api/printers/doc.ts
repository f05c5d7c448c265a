/**
 * A kubectl `describe` document: lines of tab-separated cells, where each run of consecutive
 * tabbed lines is aligned (Go tabwriter, padding 2), and plain lines break the runs.
 */

import { escapeControl } from './escape.js';

/** Builder of a describe document. */
export class Doc {
  private readonly lines: { indent: number; cells: string[] }[] = [];

  /**
   * "Key:  value" at an indent level (2 spaces each); a missing value makes a section header. A list
   * is shown one item a line; a line break inside a string is shown escaped like any control character.
   */
  kv(level: number, key: string, value?: string | readonly string[]): this {
    const lines = typeof value === 'string' ? [value] : value === undefined || value.length === 0 ? [''] : value;
    this.lines.push({ indent: level, cells: value === undefined ? [`${key}:`] : [`${key}:`, lines[0]!] });
    for (const more of lines.slice(1)) this.lines.push({ indent: level, cells: ['', more] });
    return this;
  }

  /** A row of cells (a small table inside the document). */
  row(level: number, ...cells: string[]): this {
    this.lines.push({ indent: level, cells });
    return this;
  }

  /** A plain line that is not aligned with its neighbours. */
  text(level: number, line: string): this {
    this.lines.push({ indent: level, cells: [line] });
    return this;
  }

  /** Key/value pairs of a map, one per line ("<none>" when empty), as kubectl shows labels. */
  map(level: number, key: string, m: Record<string, string> | undefined, sep = '='): this {
    const entries = Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b));
    return this.kv(level, key, entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}${sep}${v}`));
  }

  /** The aligned text; every cell's control characters are escaped here, the one place describe text is made. */
  render(): string {
    const lines = this.lines.map((l) => ({ indent: l.indent, cells: l.cells.map(escapeControl) }));
    const out: string[] = [];
    let i = 0;
    while (i < lines.length) {
      if (lines[i]!.cells.length < 2) { const l = lines[i++]!; out.push('  '.repeat(l.indent) + l.cells.join('')); continue; }
      let j = i;
      while (j < lines.length && lines[j]!.cells.length >= 2) j++;
      const run = lines.slice(i, j).map((l) => ['  '.repeat(l.indent) + l.cells[0]!, ...l.cells.slice(1)]);
      const cols = Math.max(...run.map((r) => r.length));
      const widths = Array.from({ length: cols - 1 }, (_, c) => Math.max(...run.map((r) => (c < r.length - 1 ? r[c]!.length : 0))) + 2);
      for (const r of run) out.push(r.map((cell, c) => (c < r.length - 1 ? cell.padEnd(widths[c]!) : cell)).join('').trimEnd());
      i = j;
    }
    return out.join('\n') + '\n';
  }
}

/** kubectl's describe time: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function describeTime(iso: string | undefined): string {
  if (!iso) return '<unknown>';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toUTCString().replace('GMT', '+0000');
}

/** describe's Conditions section as Jobs and autoscalers show it: Type, Status, Reason, Message (nothing when there are none). */
export function conditionsSection(doc: Doc, conds: readonly { type: string; status: string; reason?: string; message?: string }[]): void {
  if (conds.length === 0) return;
  doc.kv(0, 'Conditions');
  doc.row(1, 'Type', 'Status', 'Reason', 'Message').row(1, '----', '------', '------', '-------');
  for (const c of conds) doc.row(1, c.type, c.status, c.reason ?? '', c.message ?? '');
}
