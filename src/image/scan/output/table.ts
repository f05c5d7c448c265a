/** Trivy's table: one box per target with Library, Vulnerability, Severity, Installed Version, Fixed Version, Title. */
import { SEVERITIES, type ScanResult } from '../types.js';

const HEAD = ['Library', 'Vulnerability', 'Severity', 'Installed Version', 'Fixed Version', 'Title'];
const MAX_TITLE = 60;

function box(rows: string[][]): string {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (l: string, m: string, r: string): string => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}\n`;
  const row = (cells: string[]): string => `│${cells.map((c, i) => ` ${c.padEnd(widths[i]!)} `).join('│')}│\n`;
  return line('┌', '┬', '┐') + row(rows[0]!) + line('├', '┼', '┤') + rows.slice(1).map(row).join('') + line('└', '┴', '┘');
}

/** The table text for a result. */
export function tableReport(r: ScanResult): string {
  let out = '';
  for (const { target, findings } of r.results) {
    const counts = SEVERITIES.map((s) => `${s}: ${findings.filter((f) => f.severity === s).length}`).join(', ');
    out += `\n${target.name} (${target.type})\n${'='.repeat(target.name.length + target.type.length + 3)}\nTotal: ${findings.length} (${counts})\n\n`;
    if (findings.length === 0) continue;
    const rows = [HEAD, ...findings.map((f) => {
      const title = f.advisory.summary || f.advisory.details.split('\n')[0] || '';
      return [f.pkg.name, f.id, f.severity, f.pkg.version, f.fixedVersion, title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 3)}...` : title];
    })];
    out += box(rows);
  }
  for (const n of r.notes) out += `\nNote: ${n}\n`;
  return out;
}
