/** lcctl image inspect: Docker's JSON for images held by the nodes. */
import type { ImageInspect } from '../../api/image-inspect.js';
import type { HttpClient } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError, errorText, isApiError } from '../errors.js';
import { renderTemplate } from '../output/template.js';
import { imagesPath } from './images.js';
import { nodeFlag } from '../images/node-option.js';
import { registryScanSummary } from '../../image/scan/registry-summary.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image inspect',
  usage: 'image inspect [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Display detailed information on one or more images',
  style: 'docker',
  flags: [
    { name: 'format', short: 'f', type: 'string', help: "Format each image with a template such as '{{.Id}}' or '{{json .Config}}'" },
    nodeFlag('Only on this node'),
  ],
};

/** One image's inspect JSON, or undefined when no node holds it; other failures throw. */
export async function fetchImage(client: HttpClient, ref: string, node?: string): Promise<ImageInspect | undefined> {
  const q = new URLSearchParams({ ref });
  if (node) q.set('node', node);
  try {
    return await client.json<ImageInspect>('GET', `${imagesPath}/inspect?${q.toString()}`);
  } catch (e) {
    if (isApiError(e) && e.code === 'NotFound') return undefined;
    throw e;
  }
}

/** Prints found objects as a JSON array (or one template line each); a missing one is "Error: No such image: REF", exit 1. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl image inspect" requires at least 1 argument');
  const client = connect(p);
  const found: ImageInspect[] = [];
  let failed = false;
  for (const ref of p.args) {
    try {
      const img = await fetchImage(client, ref, p.str('node'));
      // Lantern's addition to Docker's JSON: the registry's last scan on push (counts per severity, when, database age).
      const scan = img && await registryScanSummary((path) => client.raw('GET', path), ref, new URL(client.config.server).host);
      if (img) found.push(scan ? { ...img, LanternScan: scan } : img);
      else { failed = true; process.stderr.write(`Error: No such image: ${ref}\n`); }
    } catch (e) {
      failed = true;
      process.stderr.write(`Error: ${errorText(e)}\n`);
    }
  }
  const format = p.str('format');
  if (format !== undefined) process.stdout.write(found.map((img) => `${renderTemplate(format, img)}\n`).join(''));
  else process.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  return failed ? 1 : 0;
}
