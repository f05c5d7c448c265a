/** `lcctl images` rows: one per image name (repository:tag), like `docker images`. */
import type { ImageSummary } from '../../api/node-services.js';
import { dockerAgo, dockerTimestamp } from '../output/durations.js';

/** One images row with Docker's `--format json` keys (plus the nodes holding it). */
export interface ImageRow {
  Repository: string;
  Tag: string;
  ID: string;
  Digest: string;
  CreatedAt: string;
  CreatedSince: string;
  Size: string;
  Nodes: string;
}

/** Docker's decimal size with 3 significant digits: "4.26MB", "128kB". */
export function dockerSize(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${Number(v.toPrecision(3))}${units[i]}`;
}

/** Split a reference into the repository and tag Docker shows ("busybox", "latest"). */
export function splitName(name: string): { repository: string; tag: string } {
  let repo = name;
  let tag = '<none>';
  const at = repo.indexOf('@');
  if (at >= 0) repo = repo.slice(0, at);
  else {
    const colon = repo.lastIndexOf(':');
    if (colon > repo.lastIndexOf('/')) { tag = repo.slice(colon + 1); repo = repo.slice(0, colon); }
  }
  repo = repo.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  return { repository: repo, tag };
}

/** The 12-hex short form of an image id ("sha256:abc..." -> "abc..."). */
export function shortImageId(id: string, noTrunc = false): string {
  return noTrunc ? id : id.replace(/^sha256:/, '').slice(0, 12);
}

/** Rows for every (name, image) pair, merged across nodes, newest first. */
export function imageRows(images: ImageSummary[], now: number, noTrunc = false): ImageRow[] {
  const byKey = new Map<string, { img: ImageSummary; name: string | undefined; nodes: Set<string> }>();
  for (const img of images) {
    for (const name of img.names.length > 0 ? img.names : [undefined]) {
      const key = `${name ?? ''}\u0000${img.id}`;
      const hit = byKey.get(key) ?? { img, name, nodes: new Set<string>() };
      hit.nodes.add(img.node);
      byKey.set(key, hit);
    }
  }
  const entries = [...byKey.values()].sort((a, b) => Date.parse(b.img.createdAt ?? '') - Date.parse(a.img.createdAt ?? '') || (a.name ?? '').localeCompare(b.name ?? ''));
  return entries.map(({ img, name, nodes }) => {
    const { repository, tag } = name === undefined ? { repository: '<none>', tag: '<none>' } : splitName(name);
    return {
      Repository: repository,
      Tag: tag,
      ID: shortImageId(img.id, noTrunc),
      Digest: img.digest,
      CreatedAt: dockerTimestamp(img.createdAt),
      CreatedSince: img.createdAt ? dockerAgo(img.createdAt, now) : 'N/A',
      Size: dockerSize(img.sizeBytes),
      Nodes: [...nodes].sort().join(','),
    };
  });
}
