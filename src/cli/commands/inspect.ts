/** lcctl inspect: the pod objects of containers (or else images), as a JSON array (docker inspect prints an array). */
import type { Pod } from '../../api/pod.js';
import type { CommandSpec, Parsed } from '../args.js';
import { namespaceFlag } from '../args.js';
import { connect, namespaceOf } from '../connect.js';
import { UsageError, errorText } from '../errors.js';
import { resolveTarget } from '../pods/resolve.js';
import { renderTemplate } from '../output/template.js';
import type { ImageInspect } from '../../api/image-inspect.js';
import { fetchImage } from './image-inspect.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'inspect',
  usage: 'inspect [OPTIONS] CONTAINER [CONTAINER...]',
  summary: 'Return the pod objects of one or more containers (or images) as a JSON array',
  style: 'docker',
  flags: [
    { name: 'format', short: 'f', type: 'string', help: "Format each object with a template such as '{{.status.podIP}}'" },
    namespaceFlag,
  ],
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl inspect" requires at least 1 argument');
  const client = connect(p);
  const ns = namespaceOf(p);
  const results = await Promise.allSettled(p.args.map((ref) => resolveTarget(client, ns, ref)));
  const found: Array<Pod | ImageInspect> = [];
  let failed = false;
  for (const [i, r] of results.entries()) {
    if (r.status === 'fulfilled') { found.push(r.value.pod); continue; }
    // As docker inspect: no container by that name, so try an image.
    const image = await fetchImage(client, p.args[i] ?? '').catch(() => undefined);
    if (image) found.push(image);
    else { failed = true; process.stderr.write(`lcctl: Error: ${errorText(r.reason)}\n`); }
  }
  const format = p.str('format');
  if (format !== undefined) process.stdout.write(found.map((pod) => `${renderTemplate(format, pod)}\n`).join(''));
  else process.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  return failed ? 1 : 0;
}
