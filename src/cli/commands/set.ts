/** lcctl set image deployment/NAME CONTAINER=IMAGE...: change container images (a new rollout). */
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { deploymentTarget } from '../deployments/target.js';
import { updateDeployment } from '../deployments/mutate.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'set',
  usage: 'set image deployment/NAME CONTAINER=IMAGE [CONTAINER=IMAGE...]',
  summary: 'Update the images of a deployment\'s pod template',
  style: 'kubectl',
  flags: [namespaceFlag],
  notes: 'CONTAINER may be * to set every container.',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  if (sub !== 'image') throw new UsageError('lcctl set supports: image (lcctl set image deployment/NAME CONTAINER=IMAGE)');
  const { name, rest: pairs } = deploymentTarget(rest, 'set image');
  if (pairs.length === 0) throw new UsageError('at least one CONTAINER=IMAGE pair is required');
  const wanted = pairs.map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0 || eq === s.length - 1) throw new UsageError(`invalid CONTAINER=IMAGE pair ${JSON.stringify(s)}`);
    return { container: s.slice(0, eq), image: s.slice(eq + 1) };
  });
  await updateDeployment(connect(p), p.str('namespace') || 'default', name, (d) => {
    const cs = d.spec.template.spec.containers;
    for (const w of wanted) {
      const hit = w.container === '*' ? cs : cs.filter((c) => c.name === w.container);
      if (hit.length === 0) throw new UsageError(`unable to find container named "${w.container}" (containers: ${cs.map((c) => c.name).join(', ')})`);
      for (const c of hit) c.image = w.image;
    }
  });
  process.stdout.write(`deployment.apps/${name} image updated\n`);
  return 0;
}
