/**
 * The node's watch over its NFS mounts (issue 15 item 10), on an interval and once at agent start:
 * - sweep: a mount no live pod of this node uses is unmounted (a pod deleted while the agent was down,
 *   or one that ended after a restart: PodClaims remembers its mounts in memory only, the mounter's
 *   per-pod files survive); a pod in phase Succeeded/Failed no longer uses its volumes.
 * - health: each mounted export is probed through the helper's own connection; when it stops answering,
 *   a Warning event NFSServerUnreachable goes on every pod using it, and a Normal NFSServerReachable when
 *   it answers again (Kubernetes has no such event: the kubelet's NFS mounts just hang; this says why).
 */
import type { Pod } from '../../api/pod.js';
import type { ApiObject } from '../../api/meta.js';
import type { ApiClient } from '../../client/types.js';
import { EventRecorder } from '../../client/kit/events.js';
import type { AgentContext } from '../context.js';
import { nfsMounterFor, type NfsMounter } from './nfs-mounter.js';

/** Where the watch reports: an event on a pod (EventRecorder.record's shape). */
export type PodEventSink = (pod: ApiObject, type: 'Normal' | 'Warning', reason: string, message: string) => Promise<unknown>;

/** What the watch needs. */
export interface NfsNodeWatchOptions {
  mounter: NfsMounter;
  /** The pods bound to this node, listed from the API. */
  listPods: () => Promise<Pod[]>;
  events: PodEventSink;
  log: (msg: string) => void;
  /** Between rounds (default 10 s). */
  intervalMs?: number;
}

/** Pods bound to this node, from the API. */
export function podsOnNode(api: ApiClient, nodeName: string): () => Promise<Pod[]> {
  return async () => (await api.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${nodeName}` })).items;
}

const ended = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/** Sweeps and probes the node's NFS mounts, one round at a time. */
export class NfsNodeWatch {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  /** PVs whose server did not answer the last probe, with the message given. */
  private readonly down = new Map<string, string>();

  constructor(private readonly opts: NfsNodeWatchOptions) {}

  /** One round now (the start-up sweep; not awaited: a probe of a silent server may take seconds), then one per interval. */
  start(): void {
    void this.round();
    this.timer = setInterval(() => { void this.round(); }, this.opts.intervalMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void { if (this.timer) clearInterval(this.timer); }

  /** One sweep and probe round (rounds never overlap). */
  round(): Promise<void> {
    // A round that does not end (a probe stuck in the kernel, say) must not stop the next sweeps.
    const once = (): Promise<void> => new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('a round took over 30 s; going on')), 30_000);
      this.once().then(resolve, reject).finally(() => clearTimeout(t));
    });
    this.running = this.running.then(once).catch((e: unknown) => this.opts.log(`nfs watch: ${e instanceof Error ? e.message : String(e)}`));
    return this.running;
  }

  private async once(): Promise<void> {
    const listedAt = Date.now();
    const pods = await this.opts.listPods();
    const live = new Set(pods.filter((p) => !ended(p)).map((p) => p.metadata.uid ?? p.metadata.name));
    for (const pv of await this.opts.mounter.sweep(live, listedAt)) this.opts.log(`unmounted NFS volume ${pv}: no pod on this node uses it`);
    const byUid = new Map(pods.map((p) => [p.metadata.uid ?? p.metadata.name, p]));
    const mounted = await this.opts.mounter.mounted();
    for (const m of mounted) {
      const where = `${m.target.server}:${m.target.path}`;
      const err = await this.opts.mounter.probe(m.target).then(() => undefined, (e: unknown) => (e instanceof Error ? e.message : String(e)));
      const wasDown = this.down.has(m.pvName);
      if (err === undefined && !wasDown) continue;
      if (err !== undefined && wasDown) continue;
      const [type, reason, message] = err !== undefined
        ? ['Warning', 'NFSServerUnreachable', `NFS server of volume ${m.pvName} (${where}) does not answer: ${err}; reads and writes on it wait until it is back`] as const
        : ['Normal', 'NFSServerReachable', `NFS server of volume ${m.pvName} (${where}) answers again`] as const;
      if (err !== undefined) this.down.set(m.pvName, err); else this.down.delete(m.pvName);
      this.opts.log(message);
      for (const [uid, ref] of m.pods) {
        const p = byUid.get(uid)?.metadata;
        const [namespace, name] = ref.split('/');
        const obj: ApiObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: p?.name ?? name ?? uid, namespace: p?.namespace ?? namespace ?? 'default', uid } };
        await this.opts.events(obj, type, reason, message).catch((e: unknown) => this.opts.log(`nfs watch: event on pod ${ref}: ${String(e)}`));
      }
    }
    // A PV no longer mounted has nothing to report.
    for (const pv of this.down.keys()) if (!mounted.some((m) => m.pvName === pv)) this.down.delete(pv);
  }
}

/** The agent's watch: its NFS mounter, its pods from the API, events as the kubelet. */
export function nfsNodeWatchFor(ctx: AgentContext, intervalMs?: number): NfsNodeWatch {
  const events = new EventRecorder(ctx.api, 'kubelet');
  return new NfsNodeWatch({
    mounter: nfsMounterFor(ctx.volumes), listPods: podsOnNode(ctx.api, ctx.nodeName),
    events: (obj, type, reason, message) => events.record(obj, type, reason, message),
    log: (m) => ctx.log(`nfs: ${m}`), intervalMs,
  });
}
