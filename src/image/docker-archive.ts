import type { TarArchive } from './archive.js';
import { archiveError } from './errors.js';
import { asArray, asObject, parseConfig, parseJson, synthesizeManifest, type ImportedImage, type LayerBlob } from './formats.js';
import type { Ingester } from './ingest.js';
import { normalizeTag } from './reference.js';

/** One entry of a docker-save manifest.json. */
export interface DockerSaveEntry {
  config: string;
  repoTags: string[];
  layers: string[];
}

/** Parses manifest.json: [{"Config": "...", "RepoTags": [...], "Layers": [...]}]. */
export async function readDockerManifest(archive: TarArchive): Promise<DockerSaveEntry[]> {
  const list = asArray(parseJson(await archive.read('manifest.json', 'docker save manifest'), 'manifest.json'), 'manifest.json');
  return list.map((raw, i) => {
    const o = asObject(raw, `manifest.json[${i}]`);
    if (typeof o.Config !== 'string') throw archiveError(`manifest.json[${i}] has no Config path`);
    const layers = asArray(o.Layers, `manifest.json[${i}].Layers`).map((l) => {
      if (typeof l !== 'string') throw archiveError(`manifest.json[${i}].Layers holds a non-string`);
      return l;
    });
    const tags = Array.isArray(o.RepoTags) ? o.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    return { config: o.Config, repoTags: tags, layers };
  });
}

/** The digest a member path promises: "blobs/sha256/<hex>" (Docker 25) or "<hex>.json" (config in older Docker). */
export function digestFromPath(path: string, isConfig: boolean): string | undefined {
  const m = /(?:^|\/)blobs\/sha256\/([a-f0-9]{64})$/.exec(path) ?? (isConfig ? /^([a-f0-9]{64})\.json$/.exec(path) : null);
  return m ? `sha256:${m[1]}` : undefined;
}

/** Normalised names from RepoTags, skipping ones that do not parse (Docker writes "<none>:<none>"). */
export function tagsToNames(tags: string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    try { out.push(normalizeTag(t)); } catch { /* not a usable name */ }
  }
  return out;
}

/** Reads a `docker save` archive; layers may be plain or compressed tars, and may be symlinks to other layers. */
export async function readDockerArchive(archive: TarArchive, ingest: Ingester): Promise<ImportedImage[]> {
  const entries = await readDockerManifest(archive);
  if (entries.length === 0) throw archiveError('manifest.json lists no images');
  const images: ImportedImage[] = [];
  for (const entry of entries) {
    const names = tagsToNames(entry.repoTags);
    const label = names[0] ?? entry.config;
    const configWhat = `config "${entry.config}" of ${label}`;
    const expectConfig = digestFromPath(entry.config, true);
    const configBlob = await ingest.json(entry.config, expectConfig ? { digest: expectConfig } : {}, configWhat);
    const config = parseConfig(configBlob.value, configWhat);
    if (config.diffIds.length !== entry.layers.length) {
      throw archiveError(`image ${label}: manifest.json lists ${entry.layers.length} layers but its config lists ${config.diffIds.length} diff IDs`);
    }
    const layers: LayerBlob[] = [];
    for (const [i, path] of entry.layers.entries()) {
      const diffId = config.diffIds[i] as string;
      const expect = digestFromPath(path, false);
      const what = `layer ${i + 1}/${entry.layers.length} ("${path}", diff ID ${diffId}) of ${label}`;
      layers.push(await ingest.layer(path, expect ? { digest: expect } : {}, diffId, what));
    }
    // docker save has no manifest blob; write one so every image has a manifest digest.
    const manifest = await ingest.putBytes(synthesizeManifest({ digest: configBlob.digest, size: configBlob.size }, layers));
    images.push({ names, manifestDigest: manifest.digest, configDigest: configBlob.digest, config, layers });
  }
  return images;
}
