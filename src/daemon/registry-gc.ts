import type { RegistryGcOptions, RegistryGcResult } from '../registry/index.js';

/**
 * Collects the built-in registry's garbage (blobs no manifest references, after an hour's grace) a
 * minute after start and then every intervalMs, logging what it reclaimed. Returns a stop function.
 */
export function scheduleRegistryGc(collect: (opts: RegistryGcOptions) => Promise<RegistryGcResult>, intervalMs: number, log: (m: string) => void): () => void {
  const run = (): void => {
    collect({ graceMs: 3_600_000 }).then((r) => {
      if (r.deletedBlobs > 0) log(`registry: deleted ${r.deletedBlobs} unreferenced blob${r.deletedBlobs === 1 ? '' : 's'} (${(r.reclaimedBytes / 1e6).toFixed(1)} MB)`);
    }, (e: unknown) => log(`registry: garbage collection failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  const first = setTimeout(run, Math.min(60_000, intervalMs));
  const every = setInterval(run, intervalMs);
  first.unref();
  every.unref();
  return () => { clearTimeout(first); clearInterval(every); };
}
