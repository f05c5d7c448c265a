import { familiarName } from './save.js';
import { parseReference, repository } from './reference.js';

/** What docker rmi prints for one removal: "Untagged: X" lines, then "Deleted: ID" lines. */
export interface RemovalReport { untagged: string[]; deleted: string[] }

/**
 * Docker's report of a removal. `names` were taken off (normalised); when the image itself went
 * (`deleted`), each repository it leaves also loses its digest reference ("busybox@sha256:..." as
 * `image inspect`'s RepoDigests name it), then the image ID and the layers collected with it are
 * listed, top-most first. An image that keeps a name reports only the untagged name.
 */
export function removalReport(image: { id: string; digest: string; diffIds: string[] }, names: string[], deleted: boolean, collectedSnapshots: string[]): RemovalReport {
  const untagged = names.map(familiarName);
  if (!deleted) return { untagged, deleted: [] };
  const repos = [...new Set(names.map((n) => repository(parseReference(n))))];
  const collected = new Set(collectedSnapshots);
  const layers = [...new Set([...image.diffIds].reverse())].filter((d) => collected.has(d));
  return { untagged: [...untagged, ...repos.map((r) => `${familiarName(r)}@${image.digest}`)], deleted: [image.id, ...layers] };
}
