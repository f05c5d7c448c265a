/** lcctl save (also `image save`): one archive of images that `docker load` and `lcctl image import` both read. */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parseAnswer, readAll } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { imagesPath } from './images.js';
import { nodeFlag, withNode } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'save',
  usage: 'save [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  style: 'docker',
  flags: [
    { name: 'output', short: 'o', type: 'string', help: 'Write to a file, instead of STDOUT' },
    nodeFlag('The node to save from (needed when several are connected)'),
  ],
  notes: 'The archive holds both docker save\'s manifest.json (uncompressed layers) and an OCI image layout,\nas Docker 25 writes it: `docker load` and `lcctl image import` both read it.',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length === 0) throw new UsageError('"lcctl save" requires at least 1 argument');
  const output = p.str('output');
  if (output === undefined && process.stdout.isTTY) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
  const q = new URLSearchParams();
  for (const ref of p.args) q.append('ref', ref);
  withNode(p, q);
  const res = await connect(p).raw('GET', `${imagesPath}/save?${q.toString()}`);
  if (res.status !== 200) parseAnswer(res.status, await readAll(res.body));
  if (output === undefined) {
    await pipeline(res.body, process.stdout).catch((e: unknown) => { throw cut(e); });
    return 0;
  }
  try {
    await pipeline(res.body, createWriteStream(output));
  } catch (e) {
    await rm(output, { force: true });
    throw cut(e);
  }
  return 0;
}

function cut(e: unknown): CliError {
  return new CliError(`the archive was cut short (${(e as Error).message}); nothing usable was written: check the node's log and retry`);
}
