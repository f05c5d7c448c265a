/**
 * Kubernetes resource quantities: "500m" CPU, "64Mi" / "1G" / "128974848" memory.
 * CPU is returned in millicores, everything else in base units (bytes for memory).
 */
const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const pattern = /^([+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(?:[eE]([+-]?[0-9]+))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E)?$/;

/** Parse a quantity to a number of base units; undefined when the text is not a quantity. */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = pattern.exec(value.trim());
  if (!match) return undefined;
  const [, num, exp, suffix = ''] = match;
  let n = Number(num);
  if (exp !== undefined) n *= 10 ** Number(exp);
  const scale = binary[suffix] ?? decimal[suffix];
  return scale === undefined ? undefined : n * scale;
}

/** CPU quantity in millicores ("0.5" -> 500, "250m" -> 250). */
export function parseCpuMillis(value: string | number): number | undefined {
  const n = parseQuantity(value);
  return n === undefined ? undefined : Math.round(n * 1000);
}

/** Memory-like quantity in whole bytes. */
export function parseBytes(value: string | number): number | undefined {
  const n = parseQuantity(value);
  return n === undefined ? undefined : Math.ceil(n);
}

/** Format bytes the way people read them (64Mi, 1.5Gi). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : 1).replace(/\.?0+$/, '')}${units[i]}`;
}
