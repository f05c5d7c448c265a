/**
 * A scripted node for lcctl's tests, speaking only the object API (as lcctl does): it registers a
 * Ready node, binds pods to it and reports container states the way the agent does. Behaviour comes
 * from the container's args: `exit N` ends with N, anything else keeps running; image "missing"
 * fails with ErrImagePull. run-state "stopped" ends it with 143, a new start-count starts it again,
 * deletionTimestamp or auto-remove (once exited) removes the pod.
 */
import type { Pod, PodStatus } from '../../api/pod.js';
import type { Node } from '../../api/node.js';
import type { HttpClient } from '../../client/http-client.js';
import type { Watcher } from '../../client/types.js';
import { Annotations } from '../../api/annotations.js';

interface Run { startCount: string; serial: number; state: 'running' | 'exited'; exitCode: number; startedAt: string; finishedAt?: string }

const now = (): string => new Date().toISOString();

/** The scripted node; start() registers it and begins reconciling, stop() ends it. */
export class ScriptedAgent {
  private readonly runs = new Map<string, Run>();
  private readonly chains = new Map<string, Promise<void>>();
  private watcher: Watcher | undefined;
  private serial = 0;

  constructor(private readonly api: HttpClient, readonly node = 'n1') {}

  async start(): Promise<void> {
    await this.api.create<Node>('nodes', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: this.node, labels: { 'kubernetes.io/hostname': this.node } },
      status: {
        capacity: { cpu: '2', memory: '8Gi', pods: '110' }, allocatable: { cpu: '2', memory: '8Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'AgentReady', lastHeartbeatTime: now() }],
        addresses: [{ type: 'InternalIP', address: '192.0.2.10' }],
      },
    });
    this.watcher = this.api.watch<Pod>('pods', undefined, {}, (e) => {
      const key = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
      if (e.type === 'DELETED') { this.runs.delete(key); return; }
      this.enqueue(key);
    });
    this.watcher.done.catch(() => undefined);
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
    if (!pod.spec.nodeName) { await this.api.bind(ns, name, this.node).catch(() => undefined); return; }
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
      run = { startCount, serial: ++this.serial, state: 'running', exitCode: 0, startedAt: now() };
      this.runs.set(key, run);
      const r = run;
      const args = [...(c.command ?? []), ...(c.args ?? [])];
      if (args[0] === 'exit') setTimeout(() => { if (r.state === 'running') { r.state = 'exited'; r.exitCode = Number(args[1] ?? 0); r.finishedAt = now(); this.enqueue(key); } }, 30);
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
    await this.api.updateStatus<Pod>('pods', { ...pod, status: { ...pod.status, ...status } });
  }
}
