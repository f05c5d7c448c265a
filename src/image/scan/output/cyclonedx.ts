/** A CycloneDX 1.5 JSON SBOM of the image: every package as a component, the findings as vulnerabilities. */
import { randomUUID } from 'node:crypto';
import type { ScanResult } from '../types.js';
import { purl } from './purl.js';

/** The BOM of a result; `now` fixes the timestamp (tests). */
export function cyclonedxReport(r: ScanResult, now = new Date()): Record<string, unknown> {
  const components = new Map<string, Record<string, unknown>>();
  for (const { target } of r.results) {
    for (const p of target.packages) {
      const ref = purl(p, target.class === 'os-pkgs' ? r.os : undefined);
      if (!components.has(ref)) components.set(ref, { 'bom-ref': ref, type: 'library', name: p.name, version: p.version, purl: ref, properties: [{ name: 'lantern:file', value: p.file }] });
    }
  }
  const vulns = new Map<string, { id: string; ratings: unknown[]; description: string; source: unknown; advisories: unknown[]; affects: Array<{ ref: string }>; recommendation?: string }>();
  for (const { target, findings } of r.results) {
    for (const f of findings) {
      const ref = purl(f.pkg, target.class === 'os-pkgs' ? r.os : undefined);
      const v = vulns.get(f.id) ?? {
        id: f.id, source: { name: 'osv', url: `https://osv.dev/vulnerability/${f.advisory.id}` },
        ratings: [{ source: { name: 'osv' }, severity: f.severity.toLowerCase(), ...(f.advisory.cvss ? { method: 'CVSSv31', score: f.advisory.cvss.score, vector: f.advisory.cvss.vector } : {}) }],
        description: f.advisory.summary || f.advisory.details, advisories: f.advisory.references.map((url) => ({ url })), affects: [],
        ...(f.fixedVersion ? { recommendation: `Upgrade ${f.pkg.name} to ${f.fixedVersion}` } : {}),
      };
      if (!v.affects.some((a) => a.ref === ref)) v.affects.push({ ref });
      vulns.set(f.id, v);
    }
  }
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.5.schema.json',
    bomFormat: 'CycloneDX', specVersion: '1.5', serialNumber: `urn:uuid:${randomUUID()}`, version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: 'application', name: 'lcctl image scan', group: 'lantern' }] },
      component: { 'bom-ref': r.imageId ?? r.artifactName, type: 'container', name: r.artifactName, ...(r.os ? { properties: [{ name: 'lantern:os', value: `${r.os.family} ${r.os.name}` }] } : {}) },
    },
    components: [...components.values()],
    vulnerabilities: [...vulns.values()],
  };
}
