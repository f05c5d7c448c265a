/** lcctl rollout status|history|undo|pause|resume|restart deployment/NAME (status|history|undo|restart also statefulset/NAME, daemonset/NAME). */
import type { Deployment } from '../../api/schema/apps.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { parseDuration } from '../output/durations.js';
import { renderTable, kubeStyle } from '../output/table.js';
import { deploymentTarget } from '../deployments/target.js';
import { replicaSetsOf, revisionOf, updateDeployment } from '../deployments/mutate.js';
import { rolloutState, type RolloutState } from '../deployments/rollout-status.js';
import { workloadTarget } from '../workloads/target.js';
import { rolloutStateOf, workloadHistory, workloadRestart, workloadUndo } from '../workloads/rollout.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'rollout',
  usage: 'rollout status|history|undo|pause|resume|restart deployment/NAME|statefulset/NAME|daemonset/NAME [OPTIONS]',
  summary: 'Manage the rollout of a deployment, statefulset or daemonset',
  style: 'kubectl',
  flags: [
    namespaceFlag,
    { name: 'to-revision', type: 'int', help: 'undo: the revision to roll back to (default: the previous one)' },
    { name: 'revision', type: 'int', help: 'history: show the pod template of this revision' },
    { name: 'watch', short: 'w', type: 'string', help: 'status: watch until the rollout finishes (default true)' },
    { name: 'timeout', type: 'string', help: 'status: give up after this long (e.g. 5m; default: never)' },
  ],
};

const subs = ['status', 'history', 'undo', 'pause', 'resume', 'restart'];
const templateHashLabel = 'pod-template-hash';

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  if (sub === undefined || !subs.includes(sub)) throw new UsageError(`lcctl rollout needs one of: ${subs.join(', ')}`);
  const ns = p.str('namespace') || 'default';
  const out = (l: string): void => { process.stdout.write(`${l}\n`); };
  const w = workloadTarget(rest, `rollout ${sub}`);
  if (w) {
    const c = connect(p);
    switch (sub) {
      case 'status': return status(p, async () => rolloutStateOf(w.resource, await c.get(w.resource, w.name, ns)));
      case 'history': out((await workloadHistory(c, w.resource, ns, w.name, p.int('revision'))).replace(/\n$/, '')); return 0;
      case 'undo': out(await workloadUndo(c, w.resource, ns, w.name, p.int('to-revision') ?? 0)); return 0;
      case 'restart': out(await workloadRestart(c, w.resource, ns, w.name)); return 0;
      default: throw new CliError(`${w.resource}.apps "${w.name}" ${sub === 'pause' ? 'pausing' : 'resuming'} is not supported`);
    }
  }
  const { name } = deploymentTarget(rest, `rollout ${sub}`);
  const client = connect(p);
  switch (sub) {
    case 'status': return status(p, async () => rolloutState(await client.get<Deployment>('deployments', name, ns)));
    case 'history': return history(client, ns, name, p.int('revision'));
    case 'undo': return undo(client, ns, name, p.int('to-revision') ?? 0);
    case 'pause':
    case 'resume': {
      const pause = sub === 'pause';
      let already = false;
      await updateDeployment(client, ns, name, (d) => {
        already = (d.spec.paused ?? false) === pause;
        if (already) return false;
        if (pause) d.spec.paused = true; else delete d.spec.paused;
        return true;
      });
      if (already) throw new CliError(`deployments.apps "${name}" is ${pause ? 'already paused' : 'not paused'}`);
      out(`deployment.apps/${name} ${pause ? 'paused' : 'resumed'}`);
      return 0;
    }
    default: {
      await updateDeployment(client, ns, name, (d) => {
        if (d.spec.paused) throw new CliError(`can't restart paused deployment (run rollout resume first)`);
        const t = d.spec.template;
        t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } };
      });
      out(`deployment.apps/${name} restarted`);
      return 0;
    }
  }
}

async function status(p: Parsed, read: () => Promise<RolloutState>): Promise<number> {
  const watch = (p.str('watch') ?? 'true') !== 'false';
  const timeoutText = p.str('timeout');
  const timeout = timeoutText === undefined ? undefined : parseDuration(timeoutText);
  if (timeoutText !== undefined && timeout === undefined) throw new UsageError(`invalid --timeout ${JSON.stringify(timeoutText)}: use e.g. 90s or 5m`);
  const deadline = timeout === undefined || timeout === 0 ? Infinity : Date.now() + timeout * 1000;
  let last = '';
  for (;;) {
    const s = await read();
    if (s.failed) throw new CliError(s.message);
    if (s.message !== last) { process.stdout.write(`${s.message}\n`); last = s.message; }
    if (s.done || !watch) return 0;
    if (Date.now() > deadline) throw new CliError('timed out waiting for the condition');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function history(client: HttpClient, ns: string, name: string, revision: number | undefined): Promise<number> {
  const d = await client.get<Deployment>('deployments', name, ns);
  const rss = await replicaSetsOf(client, d);
  if (revision !== undefined && revision > 0) {
    const rs = rss.find((r) => revisionOf(r) === revision);
    if (!rs) throw new CliError(`unable to find the specified revision ${revision}`);
    const { toYaml } = await import('../output/yaml.js');
    process.stdout.write(`deployment.apps/${name} with revision #${revision}\nPod Template:\n${(await toYaml(rs.spec.template)).replace(/^/gm, '  ')}`);
    return 0;
  }
  const rows = rss.filter((r) => revisionOf(r) > 0).map((r) => [String(revisionOf(r)), r.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>']);
  process.stdout.write(`deployment.apps/${name}\n${renderTable(['REVISION', 'CHANGE-CAUSE'], rows, kubeStyle)}`);
  return 0;
}

async function undo(client: HttpClient, ns: string, name: string, toRevision: number): Promise<number> {
  const cur = await client.get<Deployment>('deployments', name, ns);
  const rss = (await replicaSetsOf(client, cur)).filter((r) => revisionOf(r) > 0);
  const current = Number(cur.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '0');
  const target = toRevision > 0 ? rss.find((r) => revisionOf(r) === toRevision) : [...rss].reverse().find((r) => revisionOf(r) < current);
  if (!target) throw new CliError(toRevision > 0 ? `unable to find specified revision ${toRevision} in history` : `no rollout history found for deployment "${name}"`);
  // The ReplicaSet's template is the Deployment's as it was, plus the hash label the controller added.
  const labels = { ...target.spec.template.metadata?.labels };
  delete labels[templateHashLabel];
  const template = { ...target.spec.template, metadata: { ...target.spec.template.metadata, labels } };
  let skipped = false;
  await updateDeployment(client, ns, name, (d) => {
    skipped = JSON.stringify(d.spec.template) === JSON.stringify(template);
    if (skipped) return false;
    d.spec.template = template;
    return true;
  });
  process.stdout.write(skipped ? `deployment.apps/${name} skipped rollback (current template already matches revision ${revisionOf(target)})\n` : `deployment.apps/${name} rolled back\n`);
  return 0;
}
