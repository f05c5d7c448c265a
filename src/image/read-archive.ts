import type { TarArchive } from './archive.js';
import { digestFromPath, readDockerArchive, readDockerManifest, tagsToNames } from './docker-archive.js';
import { archiveError } from './errors.js';
import type { ImportedImage } from './formats.js';
import type { Ingester } from './ingest.js';
import { readOciArchive } from './oci-archive.js';
import type { Platform } from './platform.js';

/**
 * Reads whichever format the archive holds. Docker 25 writes both; the OCI index wins because it
 * carries real manifest digests, and manifest.json's RepoTags are added to the matching images.
 */
export async function readArchive(archive: TarArchive, ingest: Ingester, platform: Platform): Promise<ImportedImage[]> {
  if (archive.has('index.json')) {
    const images = await readOciArchive(archive, ingest, platform);
    if (archive.has('manifest.json')) {
      for (const entry of await readDockerManifest(archive)) {
        const config = digestFromPath(entry.config, true);
        const image = images.find((i) => i.configDigest === config);
        if (image) image.names = [...new Set([...image.names, ...tagsToNames(entry.repoTags)])];
      }
    }
    return images;
  }
  if (archive.has('manifest.json')) return readDockerArchive(archive, ingest);
  if (archive.has('repositories')) {
    throw archiveError(`${archive.label} is a pre-1.10 docker save archive (no manifest.json); save it again with a newer Docker`);
  }
  throw archiveError(`${archive.label} is not an image archive: it has neither index.json (OCI layout) nor manifest.json (docker save)`);
}
