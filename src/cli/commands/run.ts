/**
 * lcctl run: create a one-container pod from Docker-style flags, wait for it to start, then either
 * print its ID (-d) or stream its output and exit with its exit status.
 *
 *   flags ─▶ buildRunPod ─▶ POST pod ─▶ watch: started? ─┬─ -d: print ID
 *                                                       └─ logs (Stdout, Stderr) + watch: final ─▶ exit code
 */
import { readFileSync } from 'node:fs';
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, errorText, isCode } from '../errors.js';
import { runSpec } from '../run/flags.js';
import { buildRunPod } from '../run/pod.js';
import { ensurePodVolumes } from '../volumes/store.js';
import { requestVf } from '../run/user-network.js';
import { NetworkAnnotations } from '../../api/user-networks.js';
import type { Network } from '../../api/schema/network.js';
import { generateName, containerNameFor } from '../run/names.js';
import { watchPod, type PodEvent } from '../pods/watch.js';
import { isErrorReason, shortId } from '../pods/status.js';
import { copyLog, type LogCopy } from '../io/logs.js';
import { Annotations } from '../../api/annotations.js';
import { deviceFit } from '../run/device-fit.js';

/** The verb's flags and help text. */
export const spec = runSpec;

/** Create the pod. A taken generated name is replaced; a --name whose pod is being removed is waited for. */
async function create(client: HttpClient, pod: Pod, generated: boolean): Promise<Pod> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.create<Pod>('pods', pod);
    } catch (e) {
      if (!isCode(e, 'AlreadyExists') || attempt >= 4) throw e;
      if (generated) {
        pod.metadata.name = generateName();
        pod.spec.containers[0]!.name = containerNameFor(pod.metadata.name);
        continue;
      }
      const ns = pod.metadata.namespace ?? 'default';
      const existing = await client.get<Pod>('pods', pod.metadata.name, ns).catch(() => undefined);
      if (!existing) continue;
      if (!existing.metadata.deletionTimestamp) {
        throw new CliError(`the container name "${pod.metadata.name}" is already in use by container "${shortId(existing)}": remove it (lcctl rm -f ${pod.metadata.name}) or choose another --name`, 125);
      }
      // Docker frees a name once `run --rm` returns; here removal finishes in the background, so wait for it.
      await watchPod(client, ns, existing, (ev) => (ev.type === 'DELETED' ? true : undefined), {
        timeoutMs: ((existing.metadata.deletionGracePeriodSeconds ?? 30) + 30) * 1000,
        timeoutMessage: `the container name "${pod.metadata.name}" is still in use by a container being removed`,
      });
    }
  }
}

const status = (pod: Pod): NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number] | undefined => pod.status?.containerStatuses?.[0];

/** Phase 1: the container runs or ran; a pull/create failure throws. */
function started(warn: (s: string) => void, detach: boolean, hopeless = false): (e: PodEvent) => Pod | undefined {
  let warned = false;
  return (e) => {
    if (e.type === 'DELETED') throw new CliError('the container was removed before it started', 125);
    const cs = status(e.pod);
    const reason = cs?.state.waiting?.reason;
    if (reason && isErrorReason(reason)) throw new CliError(cs?.state.waiting?.message || reason, 125);
    if (cs?.state.running || cs?.state.terminated || (cs?.restartCount ?? 0) > 0) return e.pod;
    // Ctrl-C before the container started: the stop request keeps it from ever starting.
    if (e.pod.metadata.annotations?.[Annotations.runState] === 'stopped') throw new CliError('interrupted before the container started', 130);
    if (e.pod.status?.phase === 'Failed') throw new CliError(e.pod.status.message || e.pod.status.reason || 'the pod failed before its container started', 125);
    const unsched = e.pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    // A device no node has enough of (--gpus 2 on 1-GPU nodes): Docker fails at once, with the scheduler's words.
    if (unsched && hopeless && !detach) throw new CliError(`docker: Error response from daemon: ${unsched.message ?? 'no node fits'}`, 125);
    if (unsched && !warned) {
      warned = true;
      // Detached, it stays pending as kubectl's pods do (a node may come); in the foreground we wait.
      warn(`${detach ? 'pending' : 'waiting'}: the container is not scheduled yet: ${unsched.message ?? unsched.reason ?? 'no node fits'}`);
      if (detach) return e.pod;
    }
    return undefined;
  };
}

/** Phase 2: the container has terminated for good; resolves with its exit status. */
function finished(e: PodEvent): { code: number; message?: string | undefined } | undefined {
  const t = status(e.pod)?.state.terminated;
  if (e.type === 'DELETED') {
    if (t) return { code: t.exitCode };
    throw new CliError('the container was removed while it was running', 125);
  }
  if (!t) return undefined;
  const pod = e.pod;
  const final = pod.spec.restartPolicy === 'Never' || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed'
    || pod.metadata.annotations?.[Annotations.runState] === 'stopped' || pod.metadata.deletionTimestamp !== undefined;
  if (!final) return undefined;
  return t.message && (t.exitCode === 126 || t.exitCode === 127) ? { code: t.exitCode, message: t.message } : { code: t.exitCode };
}

const warn = (s: string): void => { process.stderr.write(`lcctl: ${s}\n`); };

/** Delete the pod, tolerating NotFound; grace 0 for a container that never ran. */
async function removeQuietly(client: HttpClient, ns: string, name: string, grace?: number): Promise<void> {
  try {
    await client.delete('pods', name, ns, grace === undefined ? {} : { gracePeriodSeconds: grace });
  } catch (e) {
    if (!isCode(e, 'NotFound')) warn(`could not remove ${name}: ${errorText(e)}`);
  }
}

/** First Ctrl-C stops the container (as lcctl stop) and keeps streaming; the second leaves at once. */
function onInterrupt(client: HttpClient, pod: Pod): void {
  let count = 0;
  const handler = (): void => {
    if (++count > 1) { warn('interrupted again: leaving the container to stop on its own'); process.exit(130); }
    void import('../pods/ops.js').then((ops) => ops.requestStop(client, pod)).catch((e: unknown) => warn(`could not stop ${pod.metadata.name}: ${errorText(e)}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** The output copies of a foreground run: stdout and stderr followed separately, from the start. */
function follow(client: HttpClient, ns: string, name: string): LogCopy[] {
  return [
    copyLog(client, ns, name, { follow: true, stream: 'Stdout' }, process.stdout),
    copyLog(client, ns, name, { follow: true, stream: 'Stderr' }, process.stderr),
  ];
}

/** Wait for the log copies to end, but not forever once the container is gone. */
async function drain(logs: LogCopy[], capMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cap = new Promise<void>((r) => { timer = setTimeout(r, capMs); });
  await Promise.race([Promise.allSettled(logs.map((l) => l.done)), cap]);
  if (timer) clearTimeout(timer);
  for (const l of logs) l.cancel();
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const pod = buildRunPod(p, { env: process.env, cwd: process.cwd(), readFile: (f) => readFileSync(f, 'utf8') });
  if (p.bool('interactive') && p.bool('tty') && !p.bool('detach') && !process.stdin.isTTY) throw new CliError('the input device is not a TTY', 1);
  const client = connect(p);
  const ns = pod.metadata.namespace ?? 'default';
  const userNet = pod.metadata.annotations?.[NetworkAnnotations.primary];
  if (userNet !== undefined) {
    const net = await client.get<Network>('networks', userNet).catch((e: unknown) => {
      throw isCode(e, 'NotFound') ? new CliError(`docker: Error response from daemon: network ${userNet} not found (lcctl network ls lists them).`, 125) : e;
    });
    requestVf(pod, net);
  }
  // Docker creates a named volume the first run names; here that is its claim (cli/volumes).
  await ensurePodVolumes(client, pod);
  const hopeless = await deviceFit(client, pod);
  const created = await create(client, pod, !p.has('name'));
  const name = created.metadata.name;
  const detach = p.bool('detach');
  if (!detach) onInterrupt(client, created);
  let running: Pod;
  try {
    running = await watchPod(client, ns, created, started(warn, detach, hopeless));
  } catch (e) {
    await removeQuietly(client, ns, name, 0);
    throw e instanceof CliError ? e : new CliError(errorText(e), 125);
  }
  if (detach) {
    const t = status(running)?.state.terminated;
    if (t && (t.exitCode === 126 || t.exitCode === 127) && t.message) {
      warn(`Error: ${t.message}`);
      return t.exitCode;
    }
    process.stdout.write(`${shortId(running)}\n`);
    return 0;
  }
  const interactive = p.bool('interactive') || p.bool('tty');
  let attached: number | undefined;
  if (interactive) {
    const { attach } = await import('../io/attach.js');
    const code = await attach(client, running, { stdin: p.bool('interactive'), tty: p.bool('tty') });
    if (code === 'unsupported') {
      await removeQuietly(client, ns, name, 0);
      throw new CliError('interactive attach (-i/-t) is not supported by this server yet: run the container in the background with -d, then use `lcctl exec -it ' + name + ' sh`', 125);
    }
    attached = code;
  }
  const logs = interactive ? [] : follow(client, ns, name);
  const failed = logs.map((l) => l.done.catch((e: unknown) => { if (!isCode(e, 'NotFound')) warn(`cannot read the output of ${name}: ${errorText(e)}`); }));
  let last = running;
  // An attach that reported the exit status is the end of the main process; otherwise watch for it.
  const end = attached !== undefined ? { code: attached } : await watchPod(client, ns, running, (e) => { last = e.pod; return finished(e); });
  await drain(logs, 5000);
  await Promise.allSettled(failed);
  if (end.message) warn(`Error: ${end.message}`);
  if (p.bool('rm')) await removeAndWait(client, ns, last);
  return end.code;
}

/** docker run --rm returns once the container is gone; the agent removes it (we ask too, gracefully). */
async function removeAndWait(client: HttpClient, ns: string, last: Pod): Promise<void> {
  if (!last.metadata.deletionTimestamp) await removeQuietly(client, ns, last.metadata.name);
  try {
    await watchPod(client, ns, last, (e) => (e.type === 'DELETED' ? true : undefined), {
      timeoutMs: ((last.spec.terminationGracePeriodSeconds ?? 10) + 30) * 1000,
      timeoutMessage: `${last.metadata.name} is still being removed`,
    });
  } catch (e) {
    warn(errorText(e));
  }
}
