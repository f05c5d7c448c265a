/**
 * lcctl image scan IMAGE: Trivy's conventions over the offline OSV database. The image comes from the
 * nodes' stores as `lcctl save` fetches it (or --input ARCHIVE), is read layer by layer and matched here,
 * in the CLI, as Trivy scans on the client.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseAnswer, readAll } from '../../client/http-client.js';
import { loadDb } from '../../image/scan/db.js';
import { AdvisoryIndex, cyclonedxReport, findingCount, jsonReport, sarifReport, scanArchive, tableReport, SEVERITIES, type Severity } from '../../image/scan/index.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError, errorText, isCode } from '../errors.js';
import { imagesPath } from '../commands/images.js';
import { nodeFlag, withNode } from './node-option.js';
import { dbDirFlag, scanDbDir } from './scan-db-dir.js';

const FORMATS = ['table', 'json', 'sarif', 'cyclonedx'];

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image scan',
  usage: 'image scan [OPTIONS] IMAGE | image scan db import FILE|DIR... | image scan db status',
  summary: 'Scan an image for known vulnerabilities (offline OSV database; Trivy\'s output formats)',
  style: 'docker',
  interspersed: true,
  flags: [
    { name: 'output', short: 'o', type: 'string', help: 'table, json (Trivy\'s), sarif (2.1.0) or cyclonedx (1.5 SBOM)', value: 'string', default: 'table' },
    { name: 'severity', short: 's', type: 'string', help: 'Comma-separated severities to report (UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL)', value: 'list' },
    { name: 'exit-code', type: 'int', help: 'Exit with this code when vulnerabilities at the chosen severities are found', value: 'int', default: '0' },
    { name: 'ignore-unfixed', type: 'bool', help: 'Report only vulnerabilities that have a fixed version' },
    { name: 'input', type: 'string', help: 'Scan this image archive (docker save / OCI tar) instead of asking the nodes', value: 'file' },
    dbDirFlag,
    nodeFlag('The node whose image store holds IMAGE'),
  ],
};

function severities(p: Parsed): Severity[] {
  const raw = p.str('severity');
  if (!raw) return [];
  return raw.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean).map((s) => {
    if (!(SEVERITIES as readonly string[]).includes(s)) throw new UsageError(`--severity: "${s}" is not one of ${SEVERITIES.join(', ')}`);
    return s as Severity;
  });
}

// The image as `lcctl save` gets it: GET .../images/save streams one archive from the node that holds it.
async function fetchArchive(p: Parsed, image: string, file: string): Promise<void> {
  const q = withNode(p, new URLSearchParams({ ref: image }));
  let res;
  try {
    res = await connect(p).raw('GET', `${imagesPath}/save?${q.toString()}`);
    if (res.status !== 200) parseAnswer(res.status, await readAll(res.body));
  } catch (e) {
    if (isCode(e, 'NotFound')) throw new CliError(`image ${image} not found on any node: pull or import it first, or scan an archive with --input FILE`);
    throw new CliError(`fetching ${image}: ${errorText(e)}`);
  }
  await pipeline(res.body, createWriteStream(file)).catch((e: unknown) => { throw new CliError(`fetching ${image} was cut short: ${(e as Error).message}`); });
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args[0] === 'db') return (await import('./scan-db.js')).runDb(p, p.args.slice(1));
  if (p.args.length !== 1) throw new UsageError(`"lcctl image scan" requires exactly 1 argument (got ${p.args.length})`);
  const image = p.args[0]!;
  const format = p.str('output') || 'table';
  if (!FORMATS.includes(format)) throw new UsageError(`--output must be one of ${FORMATS.join(', ')}, not "${format}"`);
  const filter = { severities: severities(p), ignoreUnfixed: p.bool('ignore-unfixed') };
  const exitCode = p.int('exit-code') ?? 0;
  const dbDir = scanDbDir(p);
  const db = await loadDb(dbDir).catch((e: unknown) => { throw new CliError((e as Error).message); });
  if (!db) throw new CliError(`no vulnerability database in ${dbDir}: run "lcctl image scan db import FILE|DIR" with OSV records first`);
  const work = await mkdtemp(join(tmpdir(), 'lcctl-scan-'));
  try {
    let archive = p.str('input');
    if (!archive) { archive = join(work, 'image.tar'); await fetchArchive(p, image, archive); }
    const result = await scanArchive(image, archive, work, new AdvisoryIndex(db.advisories), filter)
      .catch((e: unknown) => { throw e instanceof CliError ? e : new CliError(`scanning ${image}: ${errorText(e)}`); });
    const text = format === 'table' ? tableReport(result)
      : `${JSON.stringify(format === 'json' ? jsonReport(result) : format === 'sarif' ? sarifReport(result) : cyclonedxReport(result), null, 2)}\n`;
    process.stdout.write(text);
    return exitCode !== 0 && findingCount(result) > 0 ? exitCode : 0;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
