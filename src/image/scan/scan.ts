/** A scan: image archive -> merged files -> targets (SBOM) -> findings, filtered as the user asked. */
import { buildTargets } from './sbom.js';
import { readImageFiles } from './layers.js';
import { AdvisoryIndex, matchPackages } from './match.js';
import type { ScanResult, Severity } from './types.js';

/** What to keep: severities (all when empty) and whether findings with no fix are dropped. */
export interface ScanFilter { severities?: Severity[]; ignoreUnfixed?: boolean }

/** Scans merged files already read (the registry's scan on push and tests use this directly). */
export function scanFiles(artifact: string, files: Map<string, Buffer>, index: AdvisoryIndex, filter: ScanFilter = {}, imageId?: string): ScanResult {
  const { targets, os, notes } = buildTargets(artifact, files);
  const keep = new Set(filter.severities?.length ? filter.severities : undefined);
  const results = targets.map((target) => ({
    target,
    findings: matchPackages(target.packages, index).filter((f) => (keep.size === 0 || keep.has(f.severity)) && (!filter.ignoreUnfixed || f.fixedVersion !== '')),
  }));
  return { artifactName: artifact, results, notes, ...(os ? { os } : {}), ...(imageId ? { imageId } : {}) };
}

/** Scans the image in an archive file (docker save / OCI layout tar); `workDir` is scratch space. */
export async function scanArchive(artifact: string, archive: string, workDir: string, index: AdvisoryIndex, filter: ScanFilter = {}): Promise<ScanResult> {
  const img = await readImageFiles(archive, workDir);
  return scanFiles(artifact, img.files, index, filter, img.imageId);
}

/** How many findings a result holds (after filtering). */
export function findingCount(r: ScanResult): number {
  return r.results.reduce((n, x) => n + x.findings.length, 0);
}
