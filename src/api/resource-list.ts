/**
 * Quantities of a ResourceList as whole numbers, so sums and comparisons are exact: CPU in
 * millicores, everything else (memory, storage, GPUs, object counts) in base units rounded up.
 */
import { parseQuantity } from './quantity.js';

/** True for the resource names whose unit is a CPU core (counted in millicores). */
export const isCpu = (resource: string): boolean => resource === 'cpu' || resource.endsWith('.cpu');

/** QUANTITY of RESOURCE as a whole number (millicores for CPU); undefined when it is not a quantity. */
export function amountOf(resource: string, quantity: string | number): number | undefined {
  const n = parseQuantity(quantity);
  if (n === undefined) return undefined;
  return isCpu(resource) ? Math.ceil(Math.round(n * 1e6) / 1e3) : Math.ceil(n);
}

const binary: [number, string][] = [[2 ** 50, 'Pi'], [2 ** 40, 'Ti'], [2 ** 30, 'Gi'], [2 ** 20, 'Mi'], [2 ** 10, 'Ki']];

/** AMOUNT of RESOURCE as Kubernetes prints quantities: 500m or 2 for CPU, 1Gi or 1500 otherwise. */
export function formatAmount(resource: string, amount: number): string {
  if (isCpu(resource)) return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  if (amount === 0) return '0';
  for (const [scale, suffix] of binary) if (amount % scale === 0) return `${amount / scale}${suffix}`;
  return String(amount);
}

/** A whole-number ResourceList: resource -> amount. */
export type Amounts = Map<string, number>;

/** LIST as whole numbers; the names whose value is not a quantity are left out (validation refuses them). */
export function amountsOf(list: Record<string, string | number> | undefined): Amounts {
  const out: Amounts = new Map();
  for (const [r, q] of Object.entries(list ?? {})) {
    const a = amountOf(r, q);
    if (a !== undefined) out.set(r, a);
  }
  return out;
}

/** AMOUNTS back to a ResourceList of quantity strings, names sorted. */
export function listOf(amounts: Amounts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of [...amounts.keys()].sort()) out[r] = formatAmount(r, amounts.get(r) ?? 0);
  return out;
}
