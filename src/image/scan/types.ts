/** The shapes the scanner passes around: packages found, advisories known, vulnerabilities matched. */

/** Trivy's severity levels, lowest first. */
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
/** One of Trivy's severity levels. */
export type Severity = (typeof SEVERITIES)[number];

/** One installed package or locked dependency. */
export interface Package {
  name: string;
  version: string;
  /** OSV ecosystem without release: Debian, Alpine, npm, PyPI, Go, crates.io, Red Hat. */
  ecosystem: string;
  /** The source package OS advisories name (dpkg's Source:, apk's origin, rpm's SOURCERPM name). */
  srcName?: string;
  /** Version of the source package when dpkg's Source: names one ("openssl (3.0.11-1)"). */
  srcVersion?: string;
  arch?: string;
  /** The file the package was read from, inside the image. */
  file: string;
}

/** One target of a report, as Trivy groups them: the OS packages, or one lock file. */
export interface Target {
  /** "IMAGE (debian 12.4)" for the OS, else the file path. */
  name: string;
  /** Trivy's Class: os-pkgs or lang-pkgs. */
  class: 'os-pkgs' | 'lang-pkgs';
  /** Trivy's Type: debian, alpine, redhat, npm, pip, poetry, gomod, cargo. */
  type: string;
  packages: Package[];
}

/** The OS an image's release files name. */
export interface OsInfo { family: string; name: string }

/** An OSV range event, as in the OSV schema. */
export interface RangeEvent { introduced?: string; fixed?: string; last_affected?: string; limit?: string }

/** One affected package of an advisory, with its ranges and explicit versions. */
export interface Affected {
  ecosystem: string;
  name: string;
  ranges: Array<{ type: string; events: RangeEvent[] }>;
  versions: string[];
  severity?: Severity;
}

/** An advisory as stored in the database: OSV's fields the matcher needs. */
export interface Advisory {
  id: string;
  aliases: string[];
  summary: string;
  details: string;
  severity: Severity;
  /** A CVSS vector when the record carried one (for SARIF/CycloneDX ratings). */
  cvss?: { vector: string; score: number };
  references: string[];
  published?: string;
  modified?: string;
  affected: Affected[];
}

/** One vulnerability found: a package matched by an advisory. */
export interface Finding {
  /** The CVE alias when there is one (Trivy's VulnerabilityID), else the advisory's ID. */
  id: string;
  advisory: Advisory;
  pkg: Package;
  fixedVersion: string;
  severity: Severity;
}

/** A scan result: the targets (with packages) and their findings. */
export interface ScanResult {
  artifactName: string;
  os?: OsInfo;
  imageId?: string;
  results: Array<{ target: Target; findings: Finding[] }>;
  /** Things the scanner saw but could not read (a Berkeley DB rpmdb), for the user to know. */
  notes: string[];
}
