/**
 * `lcctl gpu install-driver`: one Job per chosen node (install-driver-job.ts), followed until each
 * ends, printing a row whenever a node's state changes and a summary table at the end. Nodes without
 * an NVIDIA PCI device (no feature.node.kubernetes.io/pci-10de.present label) are skipped, saying so.
 */
import { randomBytes } from 'node:crypto';
import type { Node } from '../../api/node.js';
import type { Pod } from '../../api/pod.js';
import type { Job } from '../../api/schema/job.js';
import { parseDuration } from '../../api/duration.js';
import type { ApiClient } from '../../client/types.js';
import { UsageError } from '../errors.js';
import { kubeStyle, renderTable } from '../output/table.js';
import { escapeControl } from '../../api/printers/escape.js';
import { installJob, installScript, operationLabel } from './install-driver-job.js';

/** The flags. */
export interface InstallDriverOptions { version?: string; node?: string; selector?: string; timeout?: string }

/** One node's progress. */
interface Progress { node: string; job?: string; state: string; message: string; done: boolean; ok: boolean }

/** NFD's label the agent sets when the node has an NVIDIA PCI function. */
const pciLabel = 'feature.node.kubernetes.io/pci-10de.present';

function stateOf(job: Job | undefined, pod: Pod | undefined): Pick<Progress, 'state' | 'message' | 'done' | 'ok'> {
  const failed = job?.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
  const term = pod?.status?.containerStatuses?.[0]?.state?.terminated;
  if (job?.status?.succeeded) return { state: 'Installed', message: 'driver installed; GPUs are rediscovered', done: true, ok: true };
  if (failed || (job?.status?.failed ?? 0) > 0) return { state: 'Failed', message: term ? `exit code ${term.exitCode}${term.message ? `: ${term.message}` : ''} (lcctl logs ${pod?.metadata.name ?? ''})` : failed?.message ?? 'the install Job failed', done: true, ok: false };
  if (pod?.status?.phase === 'Running') return { state: 'Installing', message: 'running the distribution\'s packages', done: false, ok: false };
  const waiting = pod?.status?.containerStatuses?.[0]?.state?.waiting;
  return { state: 'Pending', message: waiting?.reason ?? (pod ? 'starting' : 'waiting for the Job\'s pod'), done: false, ok: false };
}

/** Run it; resolves with the exit status (0: every chosen node installed or skipped). */
export async function installDriver(api: ApiClient, o: InstallDriverOptions, env: NodeJS.ProcessEnv = process.env, write: (s: string) => void = (s) => { process.stdout.write(s); }): Promise<number> {
  if (o.node !== undefined && o.selector !== undefined) throw new UsageError('--node and -l/--selector cannot be used together');
  if (o.version !== undefined && !/^[0-9]+(\.[0-9]+){0,2}$/.test(o.version)) throw new UsageError(`--version must be a driver version such as 535 or 535.161.08, got "${o.version}"`);
  const timeoutMs = o.timeout === undefined ? 30 * 60_000 : parseDuration(o.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0) throw new UsageError(`--timeout must be a duration such as 30m, got "${o.timeout}"`);
  const nodes = o.node !== undefined ? [await api.get<Node>('nodes', o.node)] : (await api.list<Node>('nodes', undefined, o.selector ? { labelSelector: o.selector } : {})).items;
  if (nodes.length === 0) { process.stderr.write(`No nodes match${o.selector ? ` ${o.selector}` : ''}\n`); return 1; }
  const operation = randomBytes(3).toString('hex');
  // LANTERN_GPU_DRIVER_INSTALL replaces the script (tests, or a site's own installer); LANTERN_GPU_DRIVER_IMAGE the image.
  const script = env.LANTERN_GPU_DRIVER_INSTALL ?? installScript(o.version);
  const image = env.LANTERN_GPU_DRIVER_IMAGE ?? 'busybox';
  const progress: Progress[] = [];
  for (const n of nodes) {
    const name = n.metadata.name;
    if (n.metadata.labels?.[pciLabel] !== 'true') { progress.push({ node: name, state: 'Skipped', message: 'no NVIDIA device, skipped', done: true, ok: true }); continue; }
    const job = await api.create<Job>('jobs', installJob({ node: name, operation, image, script }));
    progress.push({ node: name, job: job.metadata.name, state: 'Pending', message: 'Job created', done: false, ok: false });
  }
  write(`install-driver ${operation}${o.version ? ` (version ${o.version})` : ''}: ${progress.filter((p) => p.job).length} node(s)\n`);
  const line = (p: Progress): string => `${p.node}\t${p.state}\t${escapeControl(p.message)}\n`;
  for (const p of progress) write(line(p));
  const deadline = Date.now() + timeoutMs;
  while (progress.some((p) => !p.done) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    for (const p of progress.filter((x) => !x.done && x.job)) {
      const job = await api.get<Job>('jobs', p.job!, 'default').catch(() => undefined);
      const pods = (await api.list<Pod>('pods', 'default', { labelSelector: `${operationLabel}=${operation}` }).catch(() => ({ items: [] as Pod[] }))).items;
      const pod = pods.find((x) => x.spec.nodeName === p.node);
      const s = stateOf(job, pod);
      if (s.state !== p.state || s.message !== p.message) { Object.assign(p, s); write(line(p)); }
    }
  }
  for (const p of progress.filter((x) => !x.done)) Object.assign(p, { state: 'TimedOut', message: `still ${p.state.toLowerCase()} after ${o.timeout ?? '30m'}; the Job ${p.job} keeps running`, done: true, ok: false });
  write(renderTable(['NODE', 'RESULT', 'MESSAGE'], progress.map((p) => [p.node, p.state, escapeControl(p.message)]), kubeStyle));
  return progress.every((p) => p.ok) ? 0 : 1;
}
