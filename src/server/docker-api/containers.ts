/** Container routes: create, list, inspect, start, stop, kill, restart, rm, wait. */
import type { Pod } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import { DockerError, discard, queryBool, sendJson } from './http-util.js';
import { DOCKER_NAME_ANNOTATION, containerId, findContainer, nodePods, podNameFor } from './context.js';
import { podFromCreate } from './container-create.js';
import { containerInspect, containerSummary } from './container-view.js';
import { dockerState, mainStatus } from './container-state.js';
import { isRunning, removePod, startPod, stopPod, updatePod } from './pod-ops.js';
import { waitPod } from './pod-wait.js';
import { ensureVolumes } from './volume-ops.js';
import { matchesFilters, parseFilters } from './filters.js';
import type { DockerRequest, DockerRoute } from './route.js';

/** The seconds of ?t= (docker stop -t), else the pod's own grace period. */
function grace(r: DockerRequest, pod: Pod): number {
  const t = r.query.get('t') ?? r.query.get('timeout');
  if (t === null || t === '') return pod.spec.terminationGracePeriodSeconds ?? 10;
  const n = Number(t);
  if (!Number.isInteger(n)) throw new DockerError(400, `t: "${t}" is not a whole number of seconds`);
  return n < 0 ? 30 : n;
}

async function create(r: DockerRequest): Promise<void> {
  const body = await r.body();
  const name = r.query.get('name') ?? undefined;
  const pod = podFromCreate(body, name === '' ? undefined : name, r.ctx.nodeName);
  const image = pod.spec.containers[0]!.image;
  // Docker's clients pull and try again on "No such image": say so when this node lacks it.
  if (r.ctx.node.inspectImage) {
    try { await r.ctx.node.inspectImage(image); } catch (e) {
      if (e instanceof ApiError && e.code === 'NotFound') throw new DockerError(404, `No such image: ${image.includes(':') || image.includes('@') ? image : `${image}:latest`}`);
      throw e;
    }
  }
  await ensureVolumes(r.ctx.api, pod);
  let created: Pod;
  try { created = await r.ctx.api.create<Pod>('pods', pod); } catch (e) {
    if (e instanceof ApiError && e.code === 'AlreadyExists') throw new DockerError(409, `Conflict. The container name "/${name || pod.metadata.name}" is already in use (by pod ${pod.metadata.name}): remove it (docker rm -f ${pod.metadata.name}) or choose another name`);
    throw e;
  }
  sendJson(r.res, 201, { Id: containerId(created), Warnings: [] });
}

async function list(r: DockerRequest): Promise<void> {
  const filters = parseFilters(r.query.get('filters'));
  const all = queryBool(r.query, 'all');
  const now = Date.now();
  let pods = (await nodePods(r.ctx)).filter((p) => matchesFilters(p, filters));
  if (!all && !filters.has('status')) pods = pods.filter((p) => dockerState(p).Status === 'running');
  pods.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  const limit = Number(r.query.get('limit') ?? '-1');
  if (limit > 0) pods = pods.slice(0, limit);
  sendJson(r.res, 200, pods.map((p) => containerSummary(p, now)));
}

async function inspect(r: DockerRequest): Promise<void> {
  sendJson(r.res, 200, containerInspect(await findContainer(r.ctx, r.params[0]!)));
}

async function start(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  if (isRunning(pod) && dockerState(pod).Status === 'running') { r.res.writeHead(304).end(); return; }
  await startPod(r.ctx.api, pod, r.signal);
  r.res.writeHead(204).end();
}

async function stop(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  if (!isRunning(pod) && dockerState(pod).Status !== 'restarting') { r.res.writeHead(304).end(); return; }
  await stopPod(r.ctx.api, pod, grace(r, pod), r.signal);
  r.res.writeHead(204).end();
}

const SIGNALS = /^(SIG)?([A-Z0-9]+|\d+)$/;

async function kill(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  if (!isRunning(pod)) throw new DockerError(409, `Cannot kill container: ${r.params[0]}: container ${containerId(pod)} is not running`);
  const raw = (r.query.get('signal') ?? 'KILL').toUpperCase();
  const m = SIGNALS.exec(raw);
  if (!m) throw new DockerError(400, `signal: "${raw}" is not a signal name or number`);
  const sig = m[2]!;
  if (sig === 'KILL' || sig === '9') { await stopPod(r.ctx.api, pod, 0, r.signal); r.res.writeHead(204).end(); return; }
  // Other signals go to PID 1 through the image's own kill (Lantern's API has no signal call).
  const session = await r.ctx.node.podExec(pod.metadata.namespace ?? 'default', pod.metadata.name, { command: ['kill', `-${sig}`, '1'], stdin: false, tty: false });
  discard(session.stdout); discard(session.stderr);
  const code = await session.exit;
  if (code !== 0) throw new DockerError(500, `could not send SIG${sig} to the container: the image's kill exited with ${code}`);
  r.res.writeHead(204).end();
}

async function restart(r: DockerRequest): Promise<void> {
  let pod = await findContainer(r.ctx, r.params[0]!);
  if (isRunning(pod)) pod = await stopPod(r.ctx.api, pod, grace(r, pod), r.signal);
  await startPod(r.ctx.api, pod, r.signal);
  r.res.writeHead(204).end();
}

async function remove(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  const force = queryBool(r.query, 'force');
  if (!force && isRunning(pod)) throw new DockerError(409, `cannot remove container "/${pod.metadata.name}": container is running: stop the container before removing or force remove`);
  await removePod(r.ctx.api, pod, force, r.signal);
  r.res.writeHead(204).end();
}

/** A termination's identity, so next-exit waits for a new one. */
const exitMark = (pod: Pod): string | undefined => {
  const t = mainStatus(pod)?.state.terminated;
  return t ? `${mainStatus(pod)?.containerID ?? ''}|${t.finishedAt ?? ''}` : undefined;
};

async function wait(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  const condition = r.query.get('condition') || 'not-running';
  if (!['not-running', 'next-exit', 'removed'].includes(condition)) throw new DockerError(400, `condition: "${condition}": use not-running, next-exit or removed`);
  // Headers first: the client knows the wait is registered before it starts the container.
  r.res.writeHead(200, { 'content-type': 'application/json' });
  r.res.flushHeaders();
  const first = exitMark(pod);
  let lastCode = dockerState(pod).ExitCode;
  const code = await waitPod(r.ctx.api, pod, (c) => {
    const t = mainStatus(c.pod)?.state.terminated;
    if (t) lastCode = t.exitCode;
    if (condition === 'removed') return c.deleted ? lastCode : undefined;
    if (c.deleted) return lastCode;
    if (condition === 'not-running') return isRunning(c.pod) || dockerState(c.pod).Status === 'restarting' ? undefined : lastCode;
    const mark = exitMark(c.pod);
    return mark !== undefined && mark !== first ? lastCode : undefined;
  }, r.signal);
  r.res.end(JSON.stringify({ StatusCode: code, Error: null }));
}

/** docker rename: the pod keeps its name; the Docker name it answers to is an annotation. */
async function rename(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  const to = (r.query.get('name') ?? '').replace(/^\//, '');
  if (podNameFor(to) === undefined) throw new DockerError(400, `Invalid container name (${to}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  const taken = await findContainer(r.ctx, to).catch(() => undefined);
  if (taken && taken.metadata.uid !== pod.metadata.uid) throw new DockerError(409, `Conflict. The container name "/${to}" is already in use by container "${containerId(taken)}"`);
  await updatePod(r.ctx.api, pod, (p) => { p.metadata.annotations = { ...p.metadata.annotations, [DOCKER_NAME_ANNOTATION]: to }; });
  r.res.writeHead(204).end();
}

async function notSupported(r: DockerRequest): Promise<void> {
  throw new DockerError(501, `${r.req.method ?? ''} ${r.req.url ?? ''}: not supported by Lantern's Docker API (see src/server/docker-api/README.md)`);
}

/** The container routes. */
export const containerRoutes: DockerRoute[] = [
  { method: 'POST', pattern: /^\/containers\/create$/, handler: create },
  { method: 'GET', pattern: /^\/containers\/json$/, handler: list },
  { method: 'GET', pattern: /^\/containers\/([^/]+)\/json$/, handler: inspect },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/start$/, handler: start },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/stop$/, handler: stop },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/kill$/, handler: kill },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/restart$/, handler: restart },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/wait$/, handler: wait },
  { method: 'DELETE', pattern: /^\/containers\/([^/]+)$/, handler: remove },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/rename$/, handler: rename },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/(pause|unpause|update)$/, handler: notSupported },
];
