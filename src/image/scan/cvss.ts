/** CVSS v3.x base scores from vectors, and Trivy's mapping of scores and OSV severities to levels. */
import type { Severity } from './types.js';

const W: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

// CVSS 3.1's Roundup: the smallest one-decimal number >= x, free of floating-point noise.
function roundup(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** The base score of a CVSS:3.0/3.1 vector, or undefined when it is not one. */
export function cvss3Score(vector: string): number | undefined {
  const parts = vector.split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const m = new Map(parts.slice(1).map((p) => p.split(':') as [string, string]));
  const scope = m.get('S');
  const pr = m.get('PR');
  const get = (k: string): number | undefined => W[k]?.[m.get(k) ?? ''];
  const [av, ac, ui, c, i, a] = [get('AV'), get('AC'), get('UI'), get('C'), get('I'), get('A')];
  if (av === undefined || ac === undefined || ui === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  if (scope !== 'U' && scope !== 'C') return undefined;
  const prW = pr === 'N' ? 0.85 : pr === 'L' ? (scope === 'C' ? 0.68 : 0.62) : pr === 'H' ? (scope === 'C' ? 0.5 : 0.27) : undefined;
  if (prW === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = scope === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15);
  const exploit = 8.22 * av * ac * prW * ui;
  if (impact <= 0) return 0;
  return scope === 'U' ? roundup(Math.min(impact + exploit, 10)) : roundup(Math.min(1.08 * (impact + exploit), 10));
}

/** Trivy's level for a CVSS score (0.1-3.9 LOW ... 9.0-10 CRITICAL). */
export function scoreSeverity(score: number): Severity {
  if (score >= 9) return 'CRITICAL';
  if (score >= 7) return 'HIGH';
  if (score >= 4) return 'MEDIUM';
  if (score > 0) return 'LOW';
  return 'UNKNOWN';
}

/** A level from a database's own word (GHSA's MODERATE is MEDIUM; Debian's "unimportant" is LOW); undefined when unknown. */
export function wordSeverity(word: unknown): Severity | undefined {
  if (typeof word !== 'string') return undefined;
  const w = word.trim().toUpperCase();
  if (w === 'CRITICAL' || w === 'HIGH' || w === 'MEDIUM' || w === 'LOW') return w;
  if (w === 'MODERATE' || w === 'IMPORTANT') return w === 'IMPORTANT' ? 'HIGH' : 'MEDIUM';
  if (w === 'UNIMPORTANT' || w === 'NEGLIGIBLE' || w === 'MINOR') return 'LOW';
  return undefined;
}
