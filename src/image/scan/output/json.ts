/** Trivy's JSON report (SchemaVersion 2): Results[].Vulnerabilities[] with Trivy's field names. */
import type { Finding, ScanResult } from '../types.js';

/** One vulnerability as Trivy prints it. */
export function trivyVulnerability(f: Finding): Record<string, unknown> {
  return {
    VulnerabilityID: f.id,
    PkgName: f.pkg.name,
    ...(f.pkg.srcName && f.pkg.srcName !== f.pkg.name ? { PkgSrcName: f.pkg.srcName } : {}),
    InstalledVersion: f.pkg.version,
    FixedVersion: f.fixedVersion,
    Status: f.fixedVersion ? 'fixed' : 'affected',
    Severity: f.severity,
    Title: f.advisory.summary,
    Description: f.advisory.details,
    PrimaryURL: f.advisory.references[0] ?? '',
    References: f.advisory.references,
    DataSource: { ID: 'osv', Name: 'OSV (offline database)', URL: 'https://osv.dev' },
    OSVID: f.advisory.id,
    ...(f.advisory.cvss ? { CVSS: { osv: { V3Vector: f.advisory.cvss.vector, V3Score: f.advisory.cvss.score } } } : {}),
    ...(f.advisory.published ? { PublishedDate: f.advisory.published } : {}),
    ...(f.advisory.modified ? { LastModifiedDate: f.advisory.modified } : {}),
  };
}

/** The whole report as Trivy's `--format json` shapes it. */
export function jsonReport(r: ScanResult): Record<string, unknown> {
  return {
    SchemaVersion: 2,
    ArtifactName: r.artifactName,
    ArtifactType: 'container_image',
    Metadata: { ...(r.os ? { OS: { Family: r.os.family, Name: r.os.name } } : {}), ...(r.imageId ? { ImageID: r.imageId } : {}) },
    Results: r.results.map(({ target, findings }) => ({
      Target: target.name,
      Class: target.class,
      Type: target.type,
      ...(findings.length ? { Vulnerabilities: findings.map(trivyVulnerability) } : {}),
    })),
  };
}
