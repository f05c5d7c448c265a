/** Reads one OSV record (https://ossf.github.io/osv-schema/) into an Advisory, refusing malformed ones by field path. */
import { cvss3Score, scoreSeverity, wordSeverity } from './cvss.js';
import type { Advisory, Affected, RangeEvent, Severity } from './types.js';

/** A malformed database file: names the file and the field. */
export class OsvError extends Error {
  constructor(readonly file: string, readonly field: string, expected: string) {
    super(`${file}: ${field}: ${expected}`);
    this.name = 'OsvError';
  }
}

type Obj = Record<string, unknown>;

function obj(v: unknown, file: string, field: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OsvError(file, field, 'expected an object');
  return v as Obj;
}

function arr(v: unknown, file: string, field: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new OsvError(file, field, 'expected an array');
  return v;
}

function str(v: unknown, file: string, field: string, required = false): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || (required && v === '')) throw new OsvError(file, field, required ? 'expected a non-empty string' : 'expected a string');
  return v;
}

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function parseEvent(v: unknown, file: string, field: string): RangeEvent {
  const o = obj(v, file, field);
  const keys = EVENT_KEYS.filter((k) => o[k] !== undefined);
  if (keys.length !== 1) throw new OsvError(file, field, 'expected exactly one of introduced, fixed, last_affected, limit');
  const k = keys[0]!;
  return { [k]: str(o[k], file, `${field}.${k}`, true) };
}

function parseAffected(v: unknown, file: string, field: string): Affected {
  const o = obj(v, file, field);
  const pkg = obj(o.package, file, `${field}.package`);
  const ranges = arr(o.ranges, file, `${field}.ranges`).map((r, i) => {
    const ro = obj(r, file, `${field}.ranges[${i}]`);
    const type = str(ro.type, file, `${field}.ranges[${i}].type`, true)!;
    if (!['ECOSYSTEM', 'SEMVER', 'GIT'].includes(type)) throw new OsvError(file, `${field}.ranges[${i}].type`, `expected ECOSYSTEM, SEMVER or GIT, not "${type}"`);
    const events = arr(ro.events, file, `${field}.ranges[${i}].events`).map((e, j) => parseEvent(e, file, `${field}.ranges[${i}].events[${j}]`));
    if (events.length === 0) throw new OsvError(file, `${field}.ranges[${i}].events`, 'expected at least one event');
    return { type, events };
  });
  const versions = arr(o.versions, file, `${field}.versions`).map((x, i) => str(x, file, `${field}.versions[${i}]`, true)!);
  const eco = obj(o.ecosystem_specific ?? {}, file, `${field}.ecosystem_specific`);
  const db = obj(o.database_specific ?? {}, file, `${field}.database_specific`);
  const severity = wordSeverity(eco.severity) ?? wordSeverity(db.severity);
  return {
    ecosystem: str(pkg.ecosystem, file, `${field}.package.ecosystem`, true)!,
    name: str(pkg.name, file, `${field}.package.name`, true)!,
    ranges, versions, ...(severity ? { severity } : {}),
  };
}

/** The advisory's level: database_specific.severity, else the highest CVSS v3 score, else UNKNOWN. */
function severityOf(o: Obj, file: string): { severity: Severity; cvss?: { vector: string; score: number } } {
  let best: { vector: string; score: number } | undefined;
  arr(o.severity, file, 'severity').forEach((s, i) => {
    const so = obj(s, file, `severity[${i}]`);
    const type = str(so.type, file, `severity[${i}].type`, true)!;
    const vector = str(so.score, file, `severity[${i}].score`, true)!;
    if (type !== 'CVSS_V3') return; // CVSS v2/v4 vectors are kept out of scoring: see README
    const score = cvss3Score(vector);
    if (score === undefined) throw new OsvError(file, `severity[${i}].score`, `expected a CVSS:3.x vector, got "${vector}"`);
    if (!best || score > best.score) best = { vector, score };
  });
  const db = obj(o.database_specific ?? {}, file, 'database_specific');
  const word = wordSeverity(db.severity);
  if (word) return { severity: word, ...(best ? { cvss: best } : {}) };
  return best ? { severity: scoreSeverity(best.score), cvss: best } : { severity: 'UNKNOWN' };
}

/** Parses one OSV record; `file` names where it came from in errors. */
export function parseOsv(v: unknown, file: string): Advisory {
  const o = obj(v, file, '(record)');
  const id = str(o.id, file, 'id', true)!;
  const aliases = arr(o.aliases, file, 'aliases').map((a, i) => str(a, file, `aliases[${i}]`, true)!);
  const affected = arr(o.affected, file, 'affected').map((a, i) => parseAffected(a, file, `affected[${i}]`));
  const references = arr(o.references, file, 'references').map((r, i) => str(obj(r, file, `references[${i}]`).url, file, `references[${i}].url`, true)!);
  const { severity, cvss } = severityOf(o, file);
  return {
    id, aliases, affected, references, severity, ...(cvss ? { cvss } : {}),
    summary: str(o.summary, file, 'summary') ?? '',
    details: str(o.details, file, 'details') ?? '',
    ...(typeof o.published === 'string' ? { published: o.published } : {}),
    ...(typeof o.modified === 'string' ? { modified: o.modified } : {}),
  };
}
