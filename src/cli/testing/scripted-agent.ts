/**
 * A scripted stand-in for a node's agent, for lcctl's tests against the real API server: it binds
 * pods, reports container states the way the agent does, and serves logs/exec/stats/images.
 * Behaviour comes from the container's args: `exit N` ends with N, anything else keeps running;
 * image "missing" fails with ErrImagePull. runState "stopped" ends it with 143; a new start-count
 * starts it again; deletionTimestamp and auto-remove remove the pod.
 */
import { PassThrough, Readable } from 'node:stream';
import type { ApiService } from '../../server/api-service.js';
import type { Pod, PodStatus } from '../../api/pod.js';
import type { ContainerUsage, ImageSummary, LogOptions, NodeServices, PodAttachOptions, PodExecOptions, PodExecSession } from '../../api/node-services.js';
import type { Watcher } from '../../client/types.js';
import { ApiError } from '../../api/errors.js';
import { Annotations } from '../annotations.js';

interface Run { startCount: string; serial: number; state: 'running' | 'exited'; exitCode: number; startedAt: string; finishedAt?: string; args: string[] }

const now = (): string => new Date().toISOString();

/** The fake agent; start() begins reconciling, stop() ends it. */
export class ScriptedAgent implements NodeServices {
  private readonly runs = new Map<string, Run>();
  private readonly chains = new Map<string, Promise<void>>();
  private watcher: Watcher | undefined;
  private images: ImageSummary[] = [{ node: 'n1', names: ['docker.io/library/busybox:latest'], id: 'sha256:1373613811aeb8f5db015529ded9becea3', digest: 'sha256:abc', sizeBytes: 2_140_000, architecture: 'amd64', os: 'linux' }];
  private serial = 0;

  constructor(private readonly api: ApiService, readonly node = 'n1') {}

  start(): void {
    this.watcher = this.api.watch<Pod>('pods', undefined, {}, (e) => {
      const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') { this.runs.delete(key); return; }
      this.enqueue(key);
    });
  }

  stop(): void { this.watcher?.stop(); }

  private enqueue(key: string): void {
    const prev = this.chains.get(key) ?? Promise.resolve();
    this.chains.set(key, prev.then(() => this.reconcile(key)).catch(() => undefined));
  }

  private async reconcile(key: string): Promise<void> {
    const [ns, name] = key.split('/') as [string, string];
    let pod: Pod;
    try { pod = await this.api.get<Pod>('pods', name, ns); } catch { return; }
    if (!pod.spec.nodeName) { await this.api.bind(ns, name, this.node); return; }
    if (pod.metadata.deletionTimestamp) { await this.api.delete('pods', name, ns, { gracePeriodSeconds: 0 }); return; }
    const c = pod.spec.containers[0]!;
    if (c.image === 'missing') {
      await this.write(pod, { phase: 'Pending', containerStatuses: [{ name: c.name, image: c.image, ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message: `image "missing" is not present on node ${this.node}` } } }] });
      return;
    }
    const a = pod.metadata.annotations ?? {};
    const stopped = a[Annotations.runState] === 'stopped';
    const startCount = a[Annotations.startCount] ?? '0';
    let run = this.runs.get(key);
    if (!stopped && (!run || run.startCount !== startCount)) {
      run = { startCount, serial: ++this.serial, state: 'running', exitCode: 0, startedAt: now(), args: [...(c.command ?? []), ...(c.args ?? [])] };
      this.runs.set(key, run);
      const r = run;
      if (r.args[0] === 'exit') setTimeout(() => { if (r.state === 'running') { r.state = 'exited'; r.exitCode = Number(r.args[1] ?? 0); r.finishedAt = now(); this.enqueue(key); } }, 30);
    }
    if (stopped && run?.state === 'running') { run.state = 'exited'; run.exitCode = 143; run.finishedAt = now(); }
    if (!run) return;
    const state = run.state === 'running'
      ? { running: { startedAt: run.startedAt } }
      : { terminated: { exitCode: run.exitCode, reason: run.exitCode === 0 ? 'Completed' : 'Error', startedAt: run.startedAt, finishedAt: run.finishedAt } };
    const phase = run.state === 'running' ? 'Running' : run.exitCode === 0 ? 'Succeeded' : 'Failed';
    await this.write(pod, { phase, podIP: '10.0.0.9', containerStatuses: [{ name: c.name, image: c.image, ready: run.state === 'running', restartCount: 0, containerID: `fake://${run.serial}`, state }] });
    if (run.state === 'exited' && a[Annotations.autoRemove] === 'true') await this.api.delete('pods', name, ns, { gracePeriodSeconds: 0 });
  }

  private async write(pod: Pod, status: PodStatus): Promise<void> {
    if (JSON.stringify(pod.status?.containerStatuses) === JSON.stringify(status.containerStatuses) && pod.status?.phase === status.phase) return;
    await this.api.updateStatus<Pod>('pods', { ...pod, status });
  }

  private run(ns: string, name: string): Run {
    const r = this.runs.get(`${ns}/${name}`);
    if (!r) throw new ApiError('BadRequest', `container in pod "${name}" has not started yet`);
    return r;
  }

  async podLogs(ns: string, name: string, opts: LogOptions): Promise<Readable> {
    const r = this.run(ns, name);
    if (opts.follow) while (r.state === 'running') await new Promise((res) => setTimeout(res, 10));
    const lines: string[] = [];
    if (opts.stream !== 'Stderr') lines.push(`out: ${r.args.join(' ')}\n`);
    if (opts.stream !== 'Stdout') lines.push(`err: ${name}\n`);
    return Readable.from(opts.tailLines === undefined ? lines : lines.slice(-opts.tailLines));
  }

  private session(onStdin: ((d: Buffer, out: PassThrough) => void) | undefined, script: (out: PassThrough, err: PassThrough) => number | Promise<number>): PodExecSession {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const stdin = new PassThrough();
    const exit = (async () => {
      if (onStdin) { for await (const d of stdin) onStdin(d as Buffer, stdout); }
      const code = await script(stdout, stderr);
      stdout.end(); stderr.end();
      return code;
    })();
    return { stdin, stdout, stderr, resize: () => undefined, exit, kill: () => { stdout.destroy(); stderr.destroy(); } };
  }

  async podExec(ns: string, name: string, opts: PodExecOptions): Promise<PodExecSession> {
    const r = this.run(ns, name);
    if (r.state !== 'running') throw new ApiError('Conflict', `container of pod "${name}" is not running`);
    const [cmd, ...rest] = opts.command;
    if (cmd === 'cat') return this.session((d, out) => out.write(d), () => 0);
    if (cmd === 'env') return this.session(undefined, (out) => { out.write((opts.env ?? []).join('\n') + `\nUSER=${opts.user ?? ''}\nPWD=${opts.workingDir ?? ''}\n`); return 0; });
    if (cmd === 'exit') return this.session(undefined, () => Number(rest[0] ?? 0));
    if (cmd === 'echo') return this.session(undefined, (out) => { out.write(rest.join(' ') + '\n'); return 0; });
    return this.session(undefined, (_o, err) => { err.write(`exec: "${cmd}": executable file not found in $PATH\n`); return 127; });
  }

  async podAttach(ns: string, name: string, opts: PodAttachOptions): Promise<PodExecSession> {
    this.run(ns, name);
    return this.session(opts.stdin ? (d, out) => out.write(d) : undefined, () => 0);
  }

  async podStats(ns: string, name: string): Promise<ContainerUsage[]> {
    this.run(ns, name);
    return [{ container: name, cpuUsageNanos: Date.now() * 1e5, memoryUsageBytes: 4 << 20, memoryWorkingSetBytes: 2 << 20, memoryLimitBytes: 64 << 20, pids: 3, timestamp: Date.now() }];
  }

  async listImages(): Promise<ImageSummary[]> { return this.images; }

  async importImage(archive: Readable, ref?: string): Promise<ImageSummary[]> {
    let size = 0;
    for await (const c of archive) size += (c as Buffer).length;
    const img: ImageSummary = { node: this.node, names: [ref ?? 'docker.io/library/imported:latest'], id: `sha256:${'ab'.repeat(32)}`, digest: 'sha256:cd', sizeBytes: size, architecture: 'amd64', os: 'linux' };
    this.images = [...this.images, img];
    return [img];
  }

  async removeImage(ref: string): Promise<ImageSummary> {
    const hit = this.images.find((i) => i.names.some((n) => n === ref || n === `docker.io/library/${ref}` || n === `docker.io/library/${ref}:latest`));
    if (!hit) throw new ApiError('NotFound', `image "${ref}" not found`);
    this.images = this.images.filter((i) => i !== hit);
    return hit;
  }
}
