/** lcctl build: send a context (honouring .dockerignore) to a node, which builds it like docker build. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../api/errors.js';
import { parseAnswer, readAll } from '../../client/http-client.js';
import type { CommandSpec, Parsed } from '../args.js';
import { humanSize, prepareContext } from '../build-context/context.js';
import { connect } from '../connect.js';
import { CliError, UsageError } from '../errors.js';
import { imagesPath } from './images.js';
import { imageTagProblem, invalidTagMessage } from '../../api/image-tag.js';
import { buildNetworkMode, buildNetworkProblem } from '../../api/build-network.js';
import { nodeFlag, withNode } from '../images/node-option.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'build',
  usage: 'build [OPTIONS] PATH',
  summary: 'Build an image from a Dockerfile',
  style: 'docker',
  flags: [
    { name: 'tag', short: 't', type: 'list', help: 'Name and optionally a tag in the "name:tag" format' },
    { name: 'file', short: 'f', type: 'string', help: "Name of the Dockerfile (default: 'PATH/Dockerfile')" },
    { name: 'build-arg', type: 'list', help: 'Set build-time variables (KEY=VALUE)' },
    { name: 'target', type: 'string', help: 'Set the target build stage to build' },
    { name: 'platform', type: 'string', help: 'Set platform (only the node\'s own, e.g. linux/amd64: RUN steps run natively)' },
    { name: 'no-cache', type: 'bool', help: 'Do not use cache when building the image' },
    { name: 'network', type: 'string', help: 'Network of the RUN steps: default (the node\'s pod network), none or host' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress the build output and print image ID on success' },
    nodeFlag('The node to build on (needed when several are connected)'),
  ],
  notes: 'RUN steps reach the network through the node\'s pod network (--network none: loopback only). The image is stored on the node that built it.',
};

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  if (p.args.length !== 1) throw new UsageError(`"lcctl build" requires exactly 1 argument (the context directory)`);
  // Every -t is checked first, as docker build's flag parsing does: a bad name fails before any step runs.
  const tags = p.list('tag');
  for (const t of tags) {
    const problem = imageTagProblem(t);
    if (problem) throw new UsageError(invalidTagMessage(t, problem));
  }
  const dir = p.args[0] as string;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`unable to prepare context: path "${dir}" not found or not a directory`);
  const dockerfile = p.str('file') ?? path.join(dir, 'Dockerfile');
  if (!existsSync(dockerfile)) throw new CliError(`Cannot locate specified Dockerfile: ${p.str('file') ?? 'Dockerfile'}`);
  if (tags.length > 1) throw new UsageError('only one --tag is supported; tag more names with lcctl image tag');
  const network = p.str('network');
  if (network !== undefined && !buildNetworkMode(network)) throw new UsageError(buildNetworkProblem(network));
  const ctx = await prepareContext(dir, dockerfile);
  const quiet = p.bool('quiet');
  const q = new URLSearchParams({ dockerfile: ctx.dockerfile });
  if (tags[0]) q.set('tag', tags[0]);
  const target = p.str('target');
  if (target) q.set('target', target);
  const platform = p.str('platform');
  if (platform) q.set('platform', platform);
  if (p.bool('no-cache')) q.set('nocache', '1');
  if (network !== undefined) q.set('network', network);
  for (const a of p.list('build-arg')) {
    // KEY alone takes the value from the environment, as docker build does.
    q.append('buildarg', a.includes('=') ? a : `${a}=${process.env[a] ?? ''}`);
  }
  withNode(p, q);
  if (!quiet) process.stdout.write(`Sending build context to Docker daemon  ${humanSize(ctx.size)}\n`);
  const res = await connect(p).raw('POST', `${imagesPath}/build?${q.toString()}`, ctx.open(), { 'content-type': 'application/x-tar' });
  if (res.status !== 200) parseAnswer(res.status, await readAll(res.body));
  let id: string | undefined;
  let error: string | undefined;
  let rest = '';
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    rest += chunk.toString('utf8');
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      if (!line.trim()) continue;
      const msg = JSON.parse(line) as { stream?: string; error?: string; aux?: { ID?: string } };
      if (msg.stream !== undefined && !quiet) process.stdout.write(msg.stream);
      if (msg.error !== undefined) error = msg.error;
      if (msg.aux?.ID) id = msg.aux.ID;
    }
  }
  if (error !== undefined) throw new CliError(error, 1);
  if (!id) throw new ApiError('Internal', 'the build ended without an image ID: the connection to the server was cut');
  if (quiet) process.stdout.write(`${id}\n`);
  return 0;
}
