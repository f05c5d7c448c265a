/** Ages the way kubectl (duration.HumanDuration) prints them, for table cells and describe views. */

/** kubectl's compact age: 45s, 3m20s, 15m, 5h10m, 20h, 3d4h, 40d, 2y10d. */
export function kubeAge(iso: string | undefined, now: number): string {
  if (!iso) return '<unknown>';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '<unknown>';
  const d = now - t;
  if (d < -1000) return '<invalid>';
  if (d < 0) return '0s';
  const seconds = Math.floor(d / 1000);
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(d / 60_000);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(d / 3_600_000);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}
