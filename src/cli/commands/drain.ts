/** lcctl drain: cordon a node, then delete its pods with graceful termination and wait until they are gone. */
import type { Pod } from '../../api/pod.js';
import type { HttpClient } from '../../client/http-client.js';
import { parseDuration } from '../../api/duration.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError, isCode } from '../errors.js';
import { nodeTarget } from '../nodes/node-args.js';
import { setUnschedulable } from '../nodes/cordon.js';
import { planDrain } from '../nodes/drain-plan.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'drain',
  usage: 'drain NODE [--grace-period N] [--timeout D] [--force] [--delete-emptydir-data]',
  summary: 'Drain a node in preparation for maintenance',
  style: 'kubectl',
  flags: [
    { name: 'grace-period', type: 'int', help: "Seconds each pod gets to terminate; -1 uses the pod's own", default: '-1' },
    { name: 'timeout', type: 'string', help: 'How long to wait before giving up; 0s waits for ever', value: 'duration', default: '0s' },
    { name: 'force', type: 'bool', help: 'Also delete pods that no controller manages (they are not recreated)' },
    { name: 'delete-emptydir-data', type: 'bool', help: 'Also delete pods with emptyDir volumes (their data is lost)' },
    { name: 'ignore-daemonsets', type: 'bool', help: 'Accepted for kubectl compatibility (Lantern has no DaemonSets yet)' },
  ],
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until the pod object (this uid) is gone; false when the deadline passed first. */
async function gone(client: HttpClient, pod: Pod, deadline: number): Promise<boolean> {
  for (;;) {
    try {
      const now = await client.get<Pod>('pods', pod.metadata.name, pod.metadata.namespace);
      if (now.metadata.uid !== pod.metadata.uid) return true;
    } catch (e) {
      if (isCode(e, 'NotFound')) return true;
      throw e;
    }
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
  }
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const { name, rest } = nodeTarget(p.args, 'drain', false);
  if (rest.length > 0) throw new UsageError(`"lcctl drain" takes one NODE argument, got ${p.args.length}`);
  const timeoutText = p.str('timeout') ?? '0s';
  const timeoutMs = parseDuration(timeoutText);
  if (timeoutMs === undefined) throw new UsageError(`invalid argument "${timeoutText}" for "--timeout" flag: expected a duration such as 90s or 5m`);
  const grace = p.int('grace-period') ?? -1;
  const deadline = timeoutMs === 0 ? Infinity : Date.now() + timeoutMs;
  const client = connect(p);
  const say = (l: string): void => { process.stdout.write(l); };
  await setUnschedulable(client, name, true, say);
  const listed = await client.list<Pod>('pods', undefined, { fieldSelector: `spec.nodeName=${name}` });
  const plan = planDrain(listed.items, { force: p.bool('force'), deleteEmptyDirData: p.bool('delete-emptydir-data') });
  if (plan.errors.length > 0) {
    throw new CliError(`unable to drain node "${name}" due to error: ${plan.errors.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${name}\n${plan.errors.join('\n')}`);
  }
  for (const w of plan.warnings) process.stderr.write(`${w}\n`);
  const failures: string[] = [];
  await Promise.all(plan.pods.map(async (pod) => {
    const ns = pod.metadata.namespace ?? 'default';
    say(`evicting pod ${ns}/${pod.metadata.name}\n`);
    try {
      await client.delete('pods', pod.metadata.name, ns, grace >= 0 ? { gracePeriodSeconds: grace } : {});
    } catch (e) {
      if (!isCode(e, 'NotFound')) { failures.push(`error when evicting pods/"${pod.metadata.name}" -n "${ns}": ${(e as Error).message}`); return; }
    }
    if (await gone(client, pod, deadline)) say(`pod/${pod.metadata.name} evicted\n`);
    else failures.push(`error when waiting for pod "${pod.metadata.name}" in namespace "${ns}" to terminate: global timeout reached: ${timeoutText}`);
  }));
  if (failures.length > 0) {
    throw new CliError(`unable to drain node "${name}" due to error: ${failures.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${name}\n${failures.join('\n')}`);
  }
  say(`node/${name} drained\n`);
  return 0;
}
