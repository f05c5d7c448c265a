import type { ImageInspect } from '../api/image-inspect.js';
import { familiarName } from './save.js';
import { parseReference, repository } from './reference.js';
import type { ImageRecord } from './types.js';

/** Docker's `image inspect` shape for a stored image; RepoDigests pair each repository with the manifest digest. */
export function inspectRecord(r: ImageRecord, node: string): ImageInspect {
  const repos = [...new Set(r.names.map((n) => repository(parseReference(n))))];
  const c = r.config;
  const config: ImageInspect['Config'] = {
    Env: c.Env ?? null,
    Cmd: c.Cmd ?? null,
    Entrypoint: c.Entrypoint ?? null,
    WorkingDir: c.WorkingDir ?? '',
    User: c.User ?? '',
    ExposedPorts: c.ExposedPorts ?? null,
    Labels: c.Labels ?? null,
  };
  if (c.StopSignal) config.StopSignal = c.StopSignal;
  if (c.Healthcheck) config.Healthcheck = c.Healthcheck;
  return {
    Id: r.id,
    RepoTags: r.names.map(familiarName),
    RepoDigests: repos.map((repo) => `${familiarName(repo)}@${r.digest}`),
    Created: r.createdAt ?? '0001-01-01T00:00:00Z',
    Architecture: r.architecture,
    Os: r.os,
    Config: config,
    RootFS: { Type: 'layers', Layers: [...r.diffIds] },
    Size: r.sizeBytes,
    Digest: r.digest,
    Node: node,
  };
}
