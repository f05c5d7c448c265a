import type { TarArchive } from './archive.js';
import { hexOf, shortDigest } from './digest.js';
import { archiveError } from './errors.js';
import { asArray, asObject, parseConfig, parseDescriptor, parseJson, type Descriptor, type ImportedImage, type LayerBlob } from './formats.js';
import type { Ingester } from './ingest.js';
import { platformMatches, platformString, type Platform } from './platform.js';
import { normalizeTag } from './reference.js';

const NAME_ANNOTATION = 'io.containerd.image.name';
const REF_ANNOTATION = 'org.opencontainers.image.ref.name';

/** Reads an OCI image-layout archive: index.json -> (image index ->) manifest -> config + layers. */
export async function readOciArchive(archive: TarArchive, ingest: Ingester, platform: Platform): Promise<ImportedImage[]> {
  const index = asObject(parseJson(await archive.read('index.json', 'OCI index'), 'index.json'), 'index.json');
  const descriptors = asArray(index.manifests, 'index.json: manifests').map((d, i) => parseDescriptor(d, `index.json: manifests[${i}]`));
  const wanted = descriptors.filter((d) => !d.platform || platformMatches(d.platform, platform));
  if (wanted.length === 0) throw noPlatform(descriptors, platform, 'index.json');
  const images = new Map<string, ImportedImage>();
  for (const desc of wanted) {
    const names = namesFrom(desc);
    const image = await readImage(archive, ingest, desc, platform, names[0] ?? shortDigest(desc.digest));
    const seen = images.get(image.manifestDigest);
    if (seen) seen.names = [...new Set([...seen.names, ...names])];
    else images.set(image.manifestDigest, { ...image, names });
  }
  return [...images.values()];
}

/** Image names from a top-level descriptor: containerd's full name, else ref.name when it is a full reference. */
function namesFrom(desc: Descriptor): string[] {
  const full = desc.annotations[NAME_ANNOTATION];
  const ref = desc.annotations[REF_ANNOTATION];
  // A bare ref.name ("latest") is only a tag; it cannot name an image without a repository.
  const candidate = full ?? (ref && /[/:]/.test(ref) ? ref : undefined);
  if (!candidate) return [];
  try {
    return [normalizeTag(candidate)];
  } catch {
    return [];
  }
}

async function readImage(archive: TarArchive, ingest: Ingester, desc: Descriptor, platform: Platform, label: string, depth = 0): Promise<Omit<ImportedImage, 'names'>> {
  if (depth > 4) throw archiveError(`image ${label}: image indexes nest too deeply`);
  const what = `${kind(desc)} ${desc.digest} of ${label}`;
  const blob = await ingest.json(member(desc.digest), desc, what);
  const doc = asObject(blob.value, what);
  if (Array.isArray(doc.manifests)) {
    const children = doc.manifests.map((d, i) => parseDescriptor(d, `${what}: manifests[${i}]`));
    const images = children.filter((d) => !isAttestation(d));
    // An index whose only image names no platform is taken as it is, like a plain manifest.
    const match = images.find((d) => d.platform && platformMatches(d.platform, platform))
      ?? (images.length === 1 && !images[0]?.platform ? images[0] : undefined);
    if (!match) throw noPlatform(children, platform, what);
    return readImage(archive, ingest, match, platform, label, depth + 1);
  }
  const configDesc = parseDescriptor(doc.config, `${what}: config`);
  const layerDescs = asArray(doc.layers, `${what}: layers`).map((d, i) => parseDescriptor(d, `${what}: layers[${i}]`));
  const configWhat = `config ${configDesc.digest} of ${label}`;
  const configBlob = await ingest.json(member(configDesc.digest), configDesc, configWhat);
  const config = parseConfig(configBlob.value, configWhat);
  if (config.diffIds.length !== layerDescs.length) {
    throw archiveError(`image ${label}: the manifest lists ${layerDescs.length} layers but the config lists ${config.diffIds.length} diff IDs`);
  }
  const layers: LayerBlob[] = [];
  for (const [i, d] of layerDescs.entries()) {
    const diffId = config.diffIds[i] as string;
    layers.push(await ingest.layer(member(d.digest), d, diffId, `layer ${i + 1}/${layerDescs.length} (blob ${d.digest}) of ${label}`));
  }
  return { manifestDigest: blob.digest, configDigest: configBlob.digest, config, layers };
}

function member(digest: string): string {
  return `blobs/sha256/${hexOf(digest)}`;
}

function kind(d: Descriptor): string {
  return /index|list/.test(d.mediaType) ? 'image index' : 'manifest';
}

/** BuildKit stores provenance as extra manifests with platform unknown/unknown. */
function isAttestation(d: Descriptor): boolean {
  return d.annotations['vnd.docker.reference.type'] === 'attestation-manifest';
}

function noPlatform(found: Descriptor[], want: Platform, where: string): Error {
  const list = found.map((d) => (d.platform ? platformString(d.platform) : 'unspecified')).join(', ');
  return archiveError(`${where} has no image for this node's platform ${platformString(want)} (found: ${list}); export the image for ${platformString(want)}`);
}
