/** Bytes as a Kubernetes quantity: the largest binary suffix that divides them exactly (1073741824 -> 1Gi). */
export function bytesQuantity(bytes: number): string {
  const units: Array<[string, number]> = [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];
  for (const [suffix, n] of units) if (bytes > 0 && bytes % n === 0) return `${bytes / n}${suffix}`;
  return String(Math.max(0, Math.trunc(bytes)));
}
