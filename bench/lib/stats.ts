/** Order statistics over timings (nearest-rank percentiles, so p50 of 20 samples is a real sample). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds with one decimal. */
export const ms = (v: number): string => `${v.toFixed(1)} ms`;

/** Mebibytes from kibibytes, with one decimal. */
export const mb = (kib: number): string => `${(kib / 1024).toFixed(1)} MB`;

/** A ratio with two decimals. */
export const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : 'n/a');

/** "met" / "NOT met" for a target check; figures are printed, never asserted. */
export const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/** Left-aligned text table. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
