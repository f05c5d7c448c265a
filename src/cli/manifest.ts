/**
 * Read manifests for apply/delete -f: YAML (any number of `---` documents) or JSON (an object, an
 * array, or a List with items), from a file, a directory of them, or stdin ("-").
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiObject } from '../api/meta.js';
import { CliError } from './errors.js';
import { parseYamlDocuments } from './output/yaml.js';

/** An object read from a manifest, with where it came from for messages. */
export interface ManifestObject { obj: ApiObject; source: string }

function flatten(value: unknown, source: string, out: ManifestObject[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) { for (const v of value) flatten(v, source, out); return; }
  if (typeof value !== 'object') throw new CliError(`${source}: expected an object, got ${JSON.stringify(value)}`);
  const o = value as Partial<ApiObject> & { items?: unknown };
  if (typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) { flatten(o.items, source, out); return; }
  if (typeof o.kind !== 'string' || o.kind === '') throw new CliError(`${source}: object has no "kind" (e.g. kind: Pod)`);
  const name = (o.metadata as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || name === '') throw new CliError(`${source}: ${o.kind} has no metadata.name`);
  out.push({ obj: value as ApiObject, source });
}

/** Parse one manifest text. */
export async function parseManifests(text: string, source: string): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let v: unknown;
    try { v = JSON.parse(text); } catch (e) { throw new CliError(`${source}: invalid JSON: ${(e as Error).message}`); }
    flatten(v, source, out);
    return out;
  }
  // YAML 1.1 as kubectl reads manifests: defaultMode: 0400 is octal.
  const docs = await parseYamlDocuments(text, '1.1');
  docs.forEach((d, i) => {
    const where = docs.length > 1 ? `${source} (document ${i + 1})` : source;
    if (d.error !== undefined) throw new CliError(`${where}: invalid YAML: ${d.error}`);
    flatten(d.value, where, out);
  });
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** The manifest files of a directory (.yaml/.yml/.json), sorted; with recursive, those of its subdirectories too. */
function dirFiles(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, e.name);
    if (e.isDirectory()) { if (recursive) out.push(...dirFiles(full, true)); } else if (/\.(ya?ml|json)$/.test(e.name)) out.push(full);
  }
  return out;
}

/** Read every -f argument (files, directories of .yaml/.yml/.json, or "-"); -R descends into subdirectories. */
export async function readManifests(paths: string[], recursive = false): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const p of paths) {
    if (p === '-') { out.push(...await parseManifests(await readStdin(), 'stdin')); continue; }
    let files = [p];
    try {
      if (statSync(p).isDirectory()) files = dirFiles(p, recursive);
    } catch (e) { throw new CliError(`the path "${p}" does not exist or cannot be read: ${(e as Error).message}`); }
    for (const f of files) out.push(...await parseManifests(readFileSync(f, 'utf8'), f));
  }
  return out;
}
