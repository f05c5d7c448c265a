/** lcctl describe deployment [NAME...]: fetch each Deployment with its ReplicaSets and events. */
import type { Deployment } from '../../api/schema/apps.js';
import type { Event } from '../../api/schema/event.js';
import type { Parsed } from '../args.js';
import { connect } from '../connect.js';
import { kubeErrorLine } from '../errors.js';
import { describeDeployment } from '../describe/deployment.js';
import { replicaSetsOf } from './mutate.js';

/** Print the describe text of the named Deployments (all in the namespace without names). */
export async function describeDeployments(p: Parsed, names: string[]): Promise<number> {
  const client = connect(p);
  const ns = p.str('namespace') || 'default';
  let failed = false;
  let ds: Deployment[] = [];
  if (names.length === 0) ds = (await client.list<Deployment>('deployments', ns, { labelSelector: p.str('selector') })).items;
  for (const n of names) {
    try { ds.push(await client.get<Deployment>('deployments', n, ns)); } catch (e) { failed = true; process.stderr.write(`${kubeErrorLine(e)}\n`); }
  }
  const texts: string[] = [];
  for (const d of ds) {
    const events = await client.list<Event>('events', ns, { fieldSelector: `involvedObject.kind=Deployment,involvedObject.name=${d.metadata.name}` }).then((l) => l.items, () => []);
    texts.push(describeDeployment(d, await replicaSetsOf(client, d), events));
  }
  if (ds.length === 0 && names.length === 0) process.stderr.write(`No resources found in ${ns} namespace.\n`);
  process.stdout.write(texts.join('\n\n'));
  return failed ? 1 : 0;
}
