import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, type Duplex } from 'node:stream';
import { ApiError } from '../../api/errors.js';
import type { ContainerUsage, ImageBuildOptions, ImageRemoval, ImageSummary, LogOptions, NodeServices, PodAttachOptions, PodExecOptions, PodExecSession } from '../../api/node-services.js';
import type { ImageRecord } from '../../image/types.js';
import type { ImagePullOptions, ImagePushOptions, ImagePushResult } from '../../api/image-transfer.js';
import { pullToStore, pushFromStore, tagInStore } from '../image-transfer.js';
import type { ImageInspect, ImagePruneReport } from '../../api/image-inspect.js';
import { exportFromStore, inspectInStore, pruneStore } from '../image-ops.js';
import type { AgentContext } from '../context.js';
import type { PodManager } from '../pods/pod-manager.js';
import type { PodRunner } from '../pods/pod-runner.js';
import { readContainerLog } from './log-reader.js';
import { resolveUser } from '../image-user.js';
import { isFinal } from '../pods/pod-status.js';
import type { ImageBuilder } from '../../builder/builder.js';
import { buildFromContext } from '../build-image.js';
import { connectToPod, forwardHost } from './port-forward.js';
import { nodeMetricsText } from './metrics.js';

/** The agent's side of logs, exec, stats and images, called in process or through the agent's tunnel. */
export class LocalNodeServices implements NodeServices {
  constructor(private readonly ctx: AgentContext, private readonly pods: PodManager, private readonly dataDir: string, private readonly builder?: ImageBuilder) {}

  private worker(namespace: string, name: string): PodRunner {
    const w = this.pods.find(namespace, name);
    if (!w) throw new ApiError('NotFound', `pod "${name}" is not running on node ${this.ctx.nodeName}`);
    return w;
  }

  async podLogs(namespace: string, pod: string, opts: LogOptions, signal: AbortSignal): Promise<Readable> {
    const w = this.worker(namespace, pod);
    let found = w.instance(opts.container, opts.previous);
    if (!found && opts.follow && !opts.previous) {
      // The container may still be starting: wait for its first instance.
      for (let i = 0; i < 600 && !found && !signal.aborted && !this.neverStarts(w, opts.container); i++) {
        await new Promise((r) => setTimeout(r, 50));
        found = w.instance(opts.container);
      }
      if (!found && this.neverStarts(w, opts.container)) return Readable.from([]);
    }
    if (!found) {
      const c = opts.container ?? w.pod.spec.containers[0]?.name;
      if (opts.container && !w.pod.spec.containers.some((x) => x.name === opts.container)) throw new ApiError('BadRequest', `container "${opts.container}" is not in pod "${pod}"`);
      throw new ApiError('BadRequest', opts.previous ? `previous terminated container "${c}" in pod "${pod}" not found` : `container "${c}" in pod "${pod}" has not started yet`);
    }
    const id = found.info.id;
    const isDone = async (): Promise<boolean> => {
      const slot = found.slot;
      if (slot.current?.id !== id) return true; // a newer instance replaced it
      const info = await this.ctx.runtime.inspect(id);
      if (!info || info.status !== 'stopped') return false;
      // The worker owns the slot: tell it about the exit rather than changing its state here.
      w.poll();
      return isFinal(w.pod, { ...slot, current: info }) || w.terminated;
    };
    return readContainerLog(found.info.logPath, opts, isDone, signal);
  }

  /** A container that failed to start and will not be tried again has no log to wait for. */
  private neverStarts(w: PodRunner, container: string | undefined): boolean {
    const slot = w.slots.get(container ?? w.pod.spec.containers[0]?.name ?? '');
    return w.terminated || (slot !== undefined && slot.failedStart !== undefined && isFinal(w.pod, slot));
  }

  async podExec(namespace: string, pod: string, opts: PodExecOptions): Promise<PodExecSession> {
    const w = this.worker(namespace, pod);
    const found = w.instance(opts.container);
    if (!found || found.info.status !== 'running') {
      const current = found ? await this.ctx.runtime.inspect(found.info.id) : undefined;
      if (!current || current.status !== 'running') throw new ApiError('Conflict', `container ${opts.container ?? w.pod.spec.containers[0]?.name} of pod "${pod}" is not running`);
    }
    let user: { uid: number; gid: number } | undefined;
    if (opts.user) {
      const image = await this.ctx.images.resolve(found!.info.labels['lantern.container.image-id'] ?? '');
      const layers = image ? await this.ctx.images.layerDirs(image) : [];
      try { user = await resolveUser(opts.user, layers); } catch (e) { throw new ApiError('BadRequest', (e as Error).message); }
    }
    const session = await this.ctx.runtime.exec(found!.info.id, {
      cmd: opts.command, env: opts.env, user, cwd: opts.workingDir, tty: opts.tty, stdin: opts.stdin, size: opts.size,
    });
    return { stdin: session.stdin, stdout: session.stdout, stderr: session.stderr, resize: (s) => session.resize(s), exit: session.exit, kill: () => session.kill() };
  }

  async podAttach(namespace: string, pod: string, opts: PodAttachOptions): Promise<PodExecSession> {
    const w = this.worker(namespace, pod);
    const { runtime } = this.ctx;
    if (!runtime.attach) throw new ApiError('BadRequest', `the ${runtime.name} runtime cannot attach to containers`);
    let found = w.instance(opts.container);
    for (let i = 0; i < 200 && !found; i++) { await new Promise((r) => setTimeout(r, 25)); found = w.instance(opts.container); }
    if (!found) throw new ApiError('Conflict', `container ${opts.container ?? w.pod.spec.containers[0]?.name} of pod "${pod}" has not started`);
    const id = found.info.id;
    const current = await runtime.inspect(id);
    if (current?.status === 'stopped') {
      // It ended before we could connect (a short command): replay its output and exit code instead.
      const out = readContainerLog(found.info.logPath, {}, async () => true, new AbortController().signal);
      return { stdout: out, resize: () => undefined, exit: Promise.resolve(current.exitCode ?? 0), kill: () => out.destroy() };
    }
    const session = await runtime.attach(id);
    if (opts.size) session.resize(opts.size);
    const exit = (async (): Promise<number> => {
      await session.closed;
      // The connection ends as the process exits; conmon records the code a moment later.
      for (let i = 0; i < 100; i++) {
        const info = await runtime.inspect(id);
        if (!info || info.status === 'stopped') { w.poll(); return info?.exitCode ?? 0; }
        await new Promise((r) => setTimeout(r, 50));
      }
      return 0;
    })();
    return { stdin: session.stdin, stdout: session.stdout, stderr: session.stderr, resize: (s) => session.resize(s), exit, kill: () => session.detach() };
  }

  async podStats(namespace: string, pod: string): Promise<ContainerUsage[]> {
    const w = this.worker(namespace, pod);
    const out: ContainerUsage[] = [];
    for (const c of w.pod.spec.containers) {
      const found = w.instance(c.name);
      const s = found ? await this.ctx.runtime.stats(found.info.id) : undefined;
      out.push(s ? { container: c.name, ...s } : { container: c.name, cpuUsageNanos: 0, memoryUsageBytes: 0, memoryWorkingSetBytes: 0, pids: 0, timestamp: Date.now() });
    }
    return out;
  }

  nodeMetrics(): Promise<string> {
    return Promise.all([nodeMetricsText(this.ctx.runtime, this.pods), this.ctx.deviceMetrics?.() ?? '']).then(([node, gpus]) => node + gpus);
  }

  async podPortForward(namespace: string, pod: string, port: number): Promise<Duplex> {
    const w = this.worker(namespace, pod);
    return connectToPod(pod, forwardHost(w.pod, w.terminated), port);
  }

  private summary(r: ImageRecord): ImageSummary {
    return { node: this.ctx.nodeName, names: r.names, id: r.id, digest: r.digest, sizeBytes: r.sizeBytes, createdAt: r.createdAt, architecture: r.architecture, os: r.os };
  }

  async listImages(): Promise<ImageSummary[]> {
    return (await this.ctx.images.list()).map((r) => this.summary(r));
  }

  async importImage(archive: Readable, ref?: string): Promise<ImageSummary[]> {
    const dir = await mkdtemp(path.join(this.dataDir, 'tmp-import-'));
    try {
      const file = path.join(dir, 'archive.tar');
      await pipeline(archive, createWriteStream(file));
      try {
        return (await this.ctx.images.importArchive(file, ref)).map((r) => this.summary(r));
      } catch (e) {
        throw new ApiError('BadRequest', `cannot import the image archive: ${(e as Error).message}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async pullImage(ref: string, opts: ImagePullOptions): Promise<ImageSummary> {
    return this.summary(await pullToStore(this.ctx.images, ref, opts, this.ctx.registries));
  }

  pushImage(ref: string, opts: ImagePushOptions): Promise<ImagePushResult> {
    return pushFromStore(this.ctx.images, this.ctx.nodeName, ref, opts, this.ctx.registries);
  }

  async tagImage(source: string, target: string): Promise<ImageSummary> {
    return this.summary(await tagInStore(this.ctx.images, source, target));
  }

  async buildImage(context: Readable, opts: ImageBuildOptions, progress: (text: string) => void): Promise<ImageSummary> {
    return this.summary(await buildFromContext(this.builder, this.dataDir, context, opts, progress));
  }

  inspectImage(ref: string): Promise<ImageInspect> {
    return inspectInStore(this.ctx.images, this.ctx.nodeName, ref);
  }

  exportImages(refs: string[]): Promise<Readable> {
    return exportFromStore(this.ctx.images, refs);
  }

  pruneImages(opts: { all: boolean }): Promise<ImagePruneReport> {
    const podImages = [...this.pods.runners.values()].flatMap((w) => w.pod.spec.containers.map((c) => c.image));
    return pruneStore(this.ctx.images, this.ctx.runtime, podImages, opts.all);
  }

  async removeImage(ref: string): Promise<ImageRemoval> {
    const image = await this.ctx.images.resolve(ref);
    if (!image) throw new ApiError('NotFound', `image "${ref}" not found on node ${this.ctx.nodeName}`);
    for (const w of this.pods.runners.values()) {
      for (const slot of w.slots.values()) {
        if (slot.current?.labels['lantern.container.image-id'] === image.id && slot.current.status !== 'stopped' && image.names.length <= 1) {
          throw new ApiError('Conflict', `image "${ref}" is used by running container of pod "${w.pod.metadata.name}": stop it first`);
        }
      }
    }
    const removed = await this.ctx.images.remove(ref);
    return { ...this.summary(removed), untagged: removed.untagged, deleted: removed.deleted };
  }
}
