/** `lcctl compose up` and `down`: create the plan's objects in depends_on order, or delete the namespace. */
import type { ApiObject } from '../../api/meta.js';
import type { Deployment } from '../../api/schema/apps.js';
import type { Pod } from '../../api/pod.js';
import { ApiError } from '../../api/errors.js';
import type { HttpClient } from '../../client/http-client.js';
import type { ComposeService } from './model.js';
import { projectLabel, serviceLabel, type Plan, type Planned } from './translate.js';

/** Progress lines go here (stderr, as docker-compose prints them). */
export type Say = (line: string) => void;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Create an object, or replace the live one (keeping its resourceVersion); claims are left as they are. */
async function createOrReplace(client: HttpClient, item: Planned): Promise<'created' | 'updated' | 'unchanged'> {
  try {
    await client.create(item.resource, item.object);
    return 'created';
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'AlreadyExists') throw e;
  }
  // A bound claim's spec cannot change; Compose keeps existing volumes too.
  if (item.resource === 'persistentvolumeclaims') return 'unchanged';
  const live = await client.get<ApiObject>(item.resource, item.object.metadata.name, item.object.metadata.namespace);
  const next = { ...item.object, metadata: { ...item.object.metadata, resourceVersion: live.metadata.resourceVersion } };
  if (item.resource === 'services') (next as { spec?: { clusterIP?: string } }).spec!.clusterIP = (live as { spec?: { clusterIP?: string } }).spec?.clusterIP ?? 'None';
  await client.update(item.resource, next);
  return 'updated';
}

/** Whether a service's pods meet a depends_on condition. */
async function conditionMet(client: HttpClient, ns: string, project: string, dep: string, cond: ComposeService['dependsOn'][string]): Promise<boolean> {
  const pods = (await client.list<Pod>('pods', ns, { labelSelector: `${projectLabel}=${project},${serviceLabel}=${dep}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  if (cond === 'service_completed_successfully') return pods.length > 0 && pods.every((p) => p.status?.containerStatuses?.every((c) => c.state.terminated?.exitCode === 0) ?? false);
  if (cond === 'service_started') return true;
  const d = await client.get<Deployment>('deployments', dep, ns);
  const want = d.spec.replicas ?? 1;
  const ready = pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  return ready.length >= Math.min(1, want) && (d.status?.readyReplicas ?? 0) >= Math.min(1, want);
}

/** Wait for a service's dependencies; fails after timeoutMs naming the one that is not there. */
async function waitForDependencies(client: HttpClient, plan: Plan, s: ComposeService, timeoutMs: number, say: Say): Promise<void> {
  const ns = plan.namespace.metadata.name;
  for (const [dep, cond] of Object.entries(s.dependsOn)) {
    if (cond === 'service_started') continue;
    say(` Container ${ns}-${dep}  Waiting`);
    const deadline = Date.now() + timeoutMs;
    while (!(await conditionMet(client, ns, ns, dep, cond))) {
      if (Date.now() > deadline) throw new Error(`service "${s.name}" depends on "${dep}" (${cond}), which did not get there in ${timeoutMs / 1000}s: see lcctl compose ps and lcctl compose logs ${dep}`);
      await sleep(500);
    }
    say(` Container ${ns}-${dep}  ${cond === 'service_healthy' ? 'Healthy' : 'Exited'}`);
  }
}

/** Create (or bring up to date) everything in the plan. */
export async function up(client: HttpClient, plan: Plan, opts: { timeoutMs: number; say: Say }): Promise<void> {
  const ns = plan.namespace.metadata.name;
  try {
    await client.create('namespaces', plan.namespace);
    opts.say(` Namespace ${ns}  Created`);
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== 'AlreadyExists') throw e;
  }
  for (const item of plan.shared) {
    const r = await createOrReplace(client, item);
    if (r !== 'unchanged') opts.say(` ${item.object.kind} ${item.object.metadata.name}  ${r === 'created' ? 'Created' : 'Updated'}`);
  }
  for (const { service, objects } of plan.services) {
    await waitForDependencies(client, plan, service, opts.timeoutMs, opts.say);
    for (const item of objects) await createOrReplace(client, item);
    opts.say(` Service ${service.name}  Started`);
  }
}

/** Whether every service of the plan has all its replicas ready. */
export async function allReady(client: HttpClient, plan: Plan): Promise<boolean> {
  const ns = plan.namespace.metadata.name;
  for (const { service } of plan.services) {
    const d = await client.get<Deployment>('deployments', service.name, ns);
    if ((d.status?.readyReplicas ?? 0) < (d.spec.replicas ?? 1)) return false;
  }
  return true;
}

/** Delete the project's namespace and wait until it is gone (its objects go with it). */
export async function down(client: HttpClient, project: string, opts: { timeoutMs: number; say: Say }): Promise<boolean> {
  try {
    await client.delete('namespaces', project);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'NotFound') return false;
    throw e;
  }
  opts.say(` Namespace ${project}  Removing`);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    try { await client.get('namespaces', project); } catch (e) {
      if (e instanceof ApiError && e.code === 'NotFound') break;
      throw e;
    }
    if (Date.now() > deadline) throw new Error(`namespace "${project}" is still terminating after ${opts.timeoutMs / 1000}s: lcctl get all -n ${project} shows what is left`);
    await sleep(500);
  }
  opts.say(` Namespace ${project}  Removed`);
  return true;
}
