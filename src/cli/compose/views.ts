/** `lcctl compose ps` and `logs`: the project's containers Docker-style, and all their logs with a prefix. */
import { Writable } from 'node:stream';
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { copyLog } from '../io/logs.js';
import { projectLabel, serviceLabel } from './translate.js';

/** The project's live pods, optionally only those of some services, sorted by service then name. */
export async function projectPods(client: HttpClient, project: string, services: string[] = []): Promise<Pod[]> {
  const pods = (await client.list<Pod>('pods', project, { labelSelector: `${projectLabel}=${project}` })).items;
  return pods.filter((p) => !p.metadata.deletionTimestamp && (services.length === 0 || services.includes(p.metadata.labels?.[serviceLabel] ?? '')))
    .sort((a, b) => (a.metadata.labels?.[serviceLabel] ?? '').localeCompare(b.metadata.labels?.[serviceLabel] ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

/** Docker's STATUS words for a pod's first container. */
function statusOf(p: Pod): string {
  const c = p.status?.containerStatuses?.[0];
  if (c?.state.running) {
    const probe = p.spec.containers[0]?.readinessProbe !== undefined;
    const ready = p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True');
    return `Up${probe ? (ready ? ' (healthy)' : ' (health: starting)') : ''}`;
  }
  if (c?.state.terminated) return `Exited (${c.state.terminated.exitCode})`;
  return p.status?.phase === 'Pending' || !p.status?.phase ? 'Created' : p.status.phase;
}

/** The `compose ps` table. */
export function psTable(pods: Pod[]): string {
  const rows = [['NAME', 'IMAGE', 'SERVICE', 'STATUS', 'PORTS', 'NODE']];
  for (const p of pods) {
    const c = p.spec.containers[0]!;
    const ports = (c.ports ?? []).map((x) => (x.hostPort ? `${x.hostIP ?? '0.0.0.0'}:${x.hostPort}->${x.containerPort}/${(x.protocol ?? 'TCP').toLowerCase()}` : `${x.containerPort}/${(x.protocol ?? 'TCP').toLowerCase()}`)).join(', ');
    rows.push([p.metadata.name, c.image, p.metadata.labels?.[serviceLabel] ?? '', statusOf(p), ports, p.spec.nodeName ?? '']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n') + '\n';
}

/** A stream that writes each complete line to `out` with a prefix. */
function prefixed(prefix: string, out: NodeJS.WritableStream): Writable {
  let partial = '';
  return new Writable({
    write(chunk: Buffer, _enc, cb): void {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const l of lines) out.write(`${prefix}${l}\n`);
      cb();
    },
    final(cb): void { if (partial) out.write(`${prefix}${partial}\n`); cb(); },
  });
}

/** Print (or follow) the logs of the project's containers, each line prefixed "SERVICE-N  | ". */
export async function projectLogs(client: HttpClient, project: string, services: string[], opts: { follow: boolean; tail?: number }): Promise<void> {
  const pods = await projectPods(client, project, services);
  const names = pods.map((p) => `${p.metadata.labels?.[serviceLabel] ?? p.metadata.name}-${pods.filter((q) => q.metadata.labels?.[serviceLabel] === p.metadata.labels?.[serviceLabel]).indexOf(p) + 1}`);
  const width = Math.max(0, ...names.map((n) => n.length));
  await Promise.all(pods.map(async (p, i) => {
    const sink = prefixed(`${names[i]!.padEnd(width)}  | `, process.stdout);
    const copy = copyLog(client, project, p.metadata.name, { follow: opts.follow, ...(opts.tail !== undefined ? { tailLines: opts.tail } : {}) }, sink);
    await copy.done.catch((e: Error) => { process.stderr.write(`${names[i]}: ${e.message}\n`); });
    await new Promise<void>((r) => sink.end(r));
  }));
}
