/** lcctl image import (also `load`): send an image archive (docker save / OCI layout tar) to a node. */
import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import type { ImageSummary } from '../../api/node-services.js';
import { parseAnswer, readAll } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { splitName } from '../images/rows.js';
import { Progress } from '../output/progress.js';
import { imagesPath } from './images.js';
import { nodeFlag, withNode } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'image import',
  usage: 'image import [OPTIONS] FILE|- [REFERENCE]',
  summary: 'Import an image archive (docker save or OCI layout tar, optionally gzipped) into a node',
  style: 'docker',
  flags: [
    { name: 'input', short: 'i', type: 'string', help: 'Read from the archive file instead of the first argument' },
    nodeFlag('The node to import into (needed when several are connected)'),
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the progress output' },
  ],
};

/** Docker's short display of a name: busybox:latest for docker.io/library/busybox:latest. */
export function displayName(name: string): string {
  const { repository, tag } = splitName(name);
  return tag === '<none>' ? repository : `${repository}:${tag}`;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const args = [...p.args];
  const file = p.str('input') ?? args.shift();
  const ref = args.shift();
  if (file === undefined) throw new UsageError('"lcctl image import" requires a file argument (or - for stdin)');
  if (args.length > 0) throw new UsageError(`unexpected argument: ${args[0]}`);
  let total: number | undefined;
  if (file !== '-') {
    try { total = statSync(file).size; } catch (e) { throw new CliError(`cannot read ${file}: ${(e as Error).message}`); }
  }
  const client = connect(p);
  const input = file === '-' ? process.stdin : createReadStream(file);
  const progress = process.stderr.isTTY && !p.bool('quiet') ? new Progress(process.stderr, 'Loading', total) : undefined;
  const counter = new Transform({ transform(chunk: Buffer, _enc, cb) { progress?.add(chunk.length); cb(null, chunk); } });
  input.on('error', (e: Error) => counter.destroy(e));
  input.pipe(counter);
  const q = new URLSearchParams();
  if (ref) q.set('ref', ref);
  withNode(p, q);
  const qs = q.toString();
  const res = await client.raw('POST', imagesPath + (qs ? `?${qs}` : ''), counter, { 'content-type': 'application/x-tar' });
  const body = parseAnswer<{ items: ImageSummary[] }>(res.status, await readAll(res.body));
  progress?.finish();
  for (const img of body.items) {
    if (img.names.length === 0) process.stdout.write(`Loaded image ID: ${img.id}\n`);
    for (const n of img.names) process.stdout.write(`Loaded image: ${displayName(n)}\n`);
  }
  return 0;
}
