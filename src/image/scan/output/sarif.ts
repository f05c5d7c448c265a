/** SARIF 2.1.0, as Trivy's `--format sarif`: one rule per vulnerability, one result per package finding. */
import type { ScanResult, Severity } from '../types.js';

const LEVEL: Record<Severity, string> = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'note', UNKNOWN: 'note' };
const SCORE: Record<Severity, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '2.0', UNKNOWN: '0.0' };

/** The SARIF log of a result. */
export function sarifReport(r: ScanResult): Record<string, unknown> {
  const rules: Array<Record<string, unknown>> = [];
  const ruleIndex = new Map<string, number>();
  const results: Array<Record<string, unknown>> = [];
  for (const { target, findings } of r.results) {
    for (const f of findings) {
      if (!ruleIndex.has(f.id)) {
        ruleIndex.set(f.id, rules.length);
        rules.push({
          id: f.id, name: 'OsPackageVulnerability',
          shortDescription: { text: f.advisory.summary || f.id },
          fullDescription: { text: f.advisory.details || f.advisory.summary || f.id },
          defaultConfiguration: { level: LEVEL[f.severity] },
          ...(f.advisory.references[0] ? { helpUri: f.advisory.references[0] } : {}),
          help: { text: `Vulnerability ${f.id}\nSeverity: ${f.severity}\nPackage: ${f.pkg.name}\nFixed Version: ${f.fixedVersion}` },
          properties: { tags: ['vulnerability', 'security', f.severity], precision: 'very-high', 'security-severity': f.advisory.cvss ? f.advisory.cvss.score.toFixed(1) : SCORE[f.severity] },
        });
      }
      results.push({
        ruleId: f.id, ruleIndex: ruleIndex.get(f.id), level: LEVEL[f.severity],
        message: { text: `Package: ${f.pkg.name}\nInstalled Version: ${f.pkg.version}\nVulnerability ${f.id}\nSeverity: ${f.severity}\nFixed Version: ${f.fixedVersion}` },
        locations: [{
          physicalLocation: { artifactLocation: { uri: target.class === 'os-pkgs' ? f.pkg.file : target.name, uriBaseId: 'ROOTPATH' }, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 } },
          message: { text: `${target.name}: ${f.pkg.name}@${f.pkg.version}` },
        }],
      });
    }
  }
  return {
    version: '2.1.0',
    $schema: 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'lcctl image scan', fullName: 'Lantern image scanner', informationUri: 'https://osv.dev', version: '1', rules } },
      results,
      columnKind: 'utf16CodeUnits',
      originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
      properties: { imageName: r.artifactName, ...(r.imageId ? { imageID: r.imageId } : {}) },
    }],
  };
}
