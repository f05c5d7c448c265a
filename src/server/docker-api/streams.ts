/**
 * Output streams: GET /containers/{id}/logs and POST /containers/{id}/attach. Both read the node's
 * container log (NodeServices.podLogs, stdout and stderr apart) and frame it in Docker's multiplexed
 * format (raw for a TTY container); attach sends stdin through NodeServices.podAttach.
 */
import type { Readable } from 'node:stream';
import type { Pod } from '../../api/pod.js';
import type { LogOptions } from '../../api/node-services.js';
import { ApiError } from '../../api/errors.js';
import { DockerError, StreamType, discard, frame, queryBool } from './http-util.js';
import { findContainer } from './context.js';
import { mainStatus } from './container-state.js';
import { DockerAnnotations } from './container-create.js';
import { waitPod } from './pod-wait.js';
import { updatePod } from './pod-ops.js';
import { Annotations } from '../../api/annotations.js';
import type { DockerRequest, DockerRoute, StreamOut } from './route.js';

const MULTIPLEXED = 'application/vnd.docker.multiplexed-stream';
const RAW = 'application/vnd.docker.raw-stream';

/** Open the log of one stream; a container that never started has none (empty, as Docker). */
async function openLog(r: DockerRequest, pod: Pod, opts: LogOptions): Promise<Readable | undefined> {
  try {
    return await r.ctx.node.podLogs(pod.metadata.namespace ?? 'default', pod.metadata.name, opts, r.signal);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'BadRequest' && /not started/.test(e.message)) return undefined;
    throw e;
  }
}

/** Copy the chosen streams into out, framed unless tty; resolves when every stream ended. */
async function copyStreams(r: DockerRequest, pod: Pod, out: StreamOut, which: { stdout: boolean; stderr: boolean }, base: LogOptions): Promise<void> {
  const tty = pod.spec.containers[0]?.tty === true;
  const streams: [Readable | undefined, number][] = [];
  if (which.stdout) streams.push([await openLog(r, pod, { ...base, stream: 'Stdout' }), StreamType.stdout]);
  if (which.stderr) streams.push([await openLog(r, pod, { ...base, stream: 'Stderr' }), StreamType.stderr]);
  await Promise.all(streams.map(([s, type]) => s && new Promise<void>((resolve) => {
    s.on('data', (b: Buffer) => out.write(tty ? b : frame(type, b)));
    s.on('end', resolve);
    s.on('close', resolve);
    s.on('error', () => resolve());
  })));
}

async function logs(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  const stdout = queryBool(r.query, 'stdout');
  const stderr = queryBool(r.query, 'stderr');
  if (!stdout && !stderr) throw new DockerError(400, 'you must choose at least one stream (stdout=1 or stderr=1)');
  const base: LogOptions = { follow: queryBool(r.query, 'follow'), timestamps: queryBool(r.query, 'timestamps') };
  const tail = r.query.get('tail');
  if (tail !== null && tail !== '' && tail !== 'all') {
    if (!/^\d+$/.test(tail)) throw new DockerError(400, `tail: "${tail}" is not a number or "all"`);
    base.tailLines = Number(tail);
  }
  const since = Number(r.query.get('since') ?? '0');
  if (since > 0) base.sinceSeconds = Math.max(1, Math.ceil(Date.now() / 1000 - since));
  const tty = pod.spec.containers[0]?.tty === true;
  if (!base.follow && stdout && stderr && !tty) { await mergedLogs(r, pod, base); return; }
  const out = r.stream(tty ? RAW : MULTIPLEXED);
  await copyStreams(r, pod, out, { stdout, stderr }, base);
  out.end();
}

/** Read a whole log stream (bounded by what the node sends for a non-follow read). */
async function readLines(s: Readable | undefined, type: number): Promise<{ ts: string; line: string; type: number }[]> {
  if (!s) return [];
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/(?<=\n)/).filter((l) => l !== '').map((l) => {
    const sp = l.indexOf(' ');
    return { ts: sp > 0 ? l.slice(0, sp) : '', line: sp > 0 ? l.slice(sp + 1) : l, type };
  });
}

/** A finished read of both streams, interleaved by their timestamps as Docker's json-file log keeps them. */
async function mergedLogs(r: DockerRequest, pod: Pod, base: LogOptions): Promise<void> {
  const opts = { ...base, timestamps: true };
  const [out, err] = await Promise.all([
    openLog(r, pod, { ...opts, stream: 'Stdout' }).then((s) => readLines(s, StreamType.stdout)),
    openLog(r, pod, { ...opts, stream: 'Stderr' }).then((s) => readLines(s, StreamType.stderr)),
  ]);
  // RFC 3339 with the fraction's trailing zeros cut: pad it so the texts sort as the times do.
  const key = (ts: string): string => ts.replace(/(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/, (_m, f: string | undefined, z: string) => `.${(f ?? '').padEnd(9, '0')}${z}`);
  const all = [...out, ...err].map((e, i) => ({ ...e, i, k: key(e.ts) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i));
  const stream = r.stream(MULTIPLEXED);
  for (const e of all) stream.write(frame(e.type, Buffer.from(base.timestamps ? `${e.ts} ${e.line}` : e.line)));
  stream.end();
}

/** True once the main container has run (or the pod is gone). */
const hasStarted = (pod: Pod): boolean => {
  const cs = mainStatus(pod);
  return cs?.state.running !== undefined || cs?.state.terminated !== undefined || (cs?.restartCount ?? 0) > 0;
};

async function attach(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  const which = { stdout: queryBool(r.query, 'stdout'), stderr: queryBool(r.query, 'stderr') };
  const stdin = queryBool(r.query, 'stdin') && pod.spec.containers[0]?.stdin === true;
  const ns = pod.metadata.namespace ?? 'default';
  // Attached before start (docker run): everything the instance prints; to a running one: from now on.
  const before = !hasStarted(pod);
  const out = r.stream(pod.spec.containers[0]?.tty ? RAW : MULTIPLEXED);
  try {
    const started = await waitPod(r.ctx.api, pod, (c) => (c.deleted || hasStarted(c.pod) ? c : undefined), r.signal);
    if (started.deleted) return;
    if (stdin && out.input) {
      const session = await r.ctx.node.podAttach(ns, pod.metadata.name, { stdin: true, tty: pod.spec.containers[0]?.tty === true });
      discard(session.stdout); discard(session.stderr);
      if (session.stdin) { session.stdin.on('error', () => undefined); out.input.pipe(session.stdin); }
      session.exit.catch(() => undefined);
    }
    await copyStreams(r, started.pod, out, which, before ? { follow: true } : { follow: true, tailLines: 0 });
    if (started.pod.metadata.annotations?.[DockerAnnotations.autoRemoveAttached] === 'true') {
      // docker run --rm in the foreground: remove once its output is read (the log goes with the pod);
      // a client that left early hands the removal to the node, which removes it when it ends.
      if (r.signal.aborted) await updatePod(r.ctx.api, started.pod, (p) => { p.metadata.annotations = { ...p.metadata.annotations, [Annotations.autoRemove]: 'true' }; }).catch(() => undefined);
      else await r.ctx.api.delete('pods', pod.metadata.name, ns, { gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  } finally {
    out.end();
  }
}

/** The log and attach routes. */
export const streamRoutes: DockerRoute[] = [
  { method: 'GET', pattern: /^\/containers\/([^/]+)\/logs$/, handler: logs },
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/attach$/, handler: attach },
];
