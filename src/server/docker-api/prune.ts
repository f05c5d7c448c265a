/**
 * POST /containers/prune and /images/prune. Containers: this node's stopped containers that Docker
 * verbs made (lantern.dev/docker-run), not the pods of Deployments or Jobs, whose controllers own them.
 * Images: the node's own prune (unnamed images; with dangling=false every unused one).
 */
import { Annotations } from '../../api/annotations.js';
import { DockerError, sendJson } from './http-util.js';
import { containerId, nodePods } from './context.js';
import { dockerState } from './container-state.js';
import { parseFiltersLoose } from './filters.js';
import { removePod } from './pod-ops.js';
import type { DockerRequest, DockerRoute } from './route.js';

async function pruneContainers(r: DockerRequest): Promise<void> {
  const filters = parseFiltersLoose(r.query.get('filters'));
  const labels = filters.get('label') ?? [];
  const pods = (await nodePods(r.ctx)).filter((p) => p.metadata.annotations?.[Annotations.dockerRun] === 'true'
    && ['exited', 'created'].includes(dockerState(p).Status) && !p.metadata.deletionTimestamp
    && labels.every((l) => { const eq = l.indexOf('='); return eq < 0 ? l in (p.metadata.labels ?? {}) : p.metadata.labels?.[l.slice(0, eq)] === l.slice(eq + 1); }));
  const deleted: string[] = [];
  for (const p of pods) { await removePod(r.ctx.api, p, true, r.signal); deleted.push(containerId(p)); }
  sendJson(r.res, 200, { ContainersDeleted: deleted, SpaceReclaimed: 0 });
}

async function pruneImages(r: DockerRequest): Promise<void> {
  if (!r.ctx.node.pruneImages) throw new DockerError(501, 'this node cannot prune images');
  const dangling = parseFiltersLoose(r.query.get('filters')).get('dangling') ?? ['true'];
  const report = await r.ctx.node.pruneImages({ all: dangling.includes('false') || dangling.includes('0') });
  sendJson(r.res, 200, { ImagesDeleted: report.ImagesDeleted.length > 0 ? report.ImagesDeleted : null, SpaceReclaimed: report.SpaceReclaimed });
}

/** The prune routes. */
export const pruneRoutes: DockerRoute[] = [
  { method: 'POST', pattern: /^\/containers\/prune$/, handler: pruneContainers },
  { method: 'POST', pattern: /^\/images\/prune$/, handler: pruneImages },
];
