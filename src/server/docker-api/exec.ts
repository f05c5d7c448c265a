/** docker exec: create an instance, start it on a hijacked stream (NodeServices.podExec), inspect its exit code. */
import type { PodExecOptions } from '../../api/node-services.js';
import { DockerError, StreamType, discard, frame } from './http-util.js';
import { containerId, findContainer } from './context.js';
import { isRunning } from './pod-ops.js';
import { addExec, type ExecRecord } from './exec-store.js';
import type { DockerRequest, DockerRoute } from './route.js';

const strs = (v: unknown, field: string): string[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new DockerError(400, `${field}: expected a list of strings`);
  return v as string[];
};

async function create(r: DockerRequest): Promise<void> {
  const pod = await findContainer(r.ctx, r.params[0]!);
  if (!isRunning(pod)) throw new DockerError(409, `container ${containerId(pod)} is not running`);
  const body = await r.body() ?? {};
  const cmd = strs(body.Cmd, 'Cmd');
  if (!cmd || cmd.length === 0) throw new DockerError(400, 'Cmd: no exec command specified');
  const opts: PodExecOptions = { command: cmd, stdin: body.AttachStdin === true, tty: body.Tty === true };
  const env = strs(body.Env, 'Env');
  if (env?.length) opts.env = env;
  if (typeof body.User === 'string' && body.User !== '') opts.user = body.User;
  if (typeof body.WorkingDir === 'string' && body.WorkingDir !== '') opts.workingDir = body.WorkingDir;
  const rec = addExec(r.ctx.execs, {
    namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, containerId: containerId(pod), opts,
    attach: { stdin: body.AttachStdin === true, stdout: body.AttachStdout !== false, stderr: body.AttachStderr !== false },
    running: false, started: false, exitCode: null,
  });
  r.res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: rec.id }));
}

function lookup(r: DockerRequest): ExecRecord {
  const rec = r.ctx.execs.get(r.params[0]!);
  if (!rec) throw new DockerError(404, `No such exec instance: ${r.params[0]!}`);
  return rec;
}

/** Docker's exit codes for a command that could not start: 127 not found, 126 not executable. */
const startFailureCode = (message: string): number => (/not found|no such file/i.test(message) ? 127 : 126);

async function start(r: DockerRequest): Promise<void> {
  const rec = lookup(r);
  if (rec.started) throw new DockerError(409, `exec instance ${rec.id} has already been started`);
  const body = await r.body() ?? {};
  const detach = body.Detach === true;
  rec.started = true;
  rec.running = true;
  const size = Array.isArray(body.ConsoleSize) && body.ConsoleSize.length === 2 && body.ConsoleSize.every((n) => typeof n === 'number' && n > 0)
    ? { rows: body.ConsoleSize[0] as number, cols: body.ConsoleSize[1] as number } : undefined;
  const opts: PodExecOptions = { ...rec.opts, stdin: rec.opts.stdin && !detach, ...(size && rec.opts.tty ? { size } : {}) };
  let session;
  try {
    session = await r.ctx.node.podExec(rec.namespace, rec.pod, opts);
  } catch (e) {
    rec.running = false;
    const message = e instanceof Error ? e.message : String(e);
    if (detach) throw e;
    // Docker answers the hijack, prints the runtime's error and reports 126/127 through inspect.
    rec.exitCode = startFailureCode(message);
    const out = r.stream(rec.opts.tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
    const text = Buffer.from(`OCI runtime exec failed: ${message}\n`);
    out.write(rec.opts.tty ? text : frame(StreamType.stderr, text));
    out.end();
    return;
  }
  rec.session = session;
  const finished = session.exit.then((code) => { rec.exitCode = code; }, () => { rec.exitCode = 126; }).finally(() => { rec.running = false; });
  if (detach) {
    discard(session.stdout); discard(session.stderr);
    r.res.writeHead(200, { 'content-type': 'application/json' }).end();
    return;
  }
  const out = r.stream(rec.opts.tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream');
  if (opts.stdin && session.stdin && out.input) {
    // The command may exit before its input ends: a write after that must not become an uncaught error.
    session.stdin.on('error', () => undefined);
    out.input.pipe(session.stdin);
    out.input.on('error', () => session.stdin?.end());
  }
  const copy = (s: NodeJS.ReadableStream | undefined, type: number, wanted: boolean): Promise<void> => new Promise((resolve) => {
    if (!s) { resolve(); return; }
    s.on('data', (b: Buffer) => { if (wanted) out.write(rec.opts.tty ? b : frame(type, b)); });
    s.on('end', resolve);
    s.on('close', resolve);
    s.on('error', () => resolve());
  });
  r.signal.addEventListener('abort', () => { if (rec.running) session.kill(); });
  await Promise.all([copy(session.stdout, StreamType.stdout, rec.attach.stdout), copy(session.stderr, StreamType.stderr, rec.attach.stderr), finished]);
  out.end();
}

async function inspect(r: DockerRequest): Promise<void> {
  const rec = lookup(r);
  r.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
    ID: rec.id, Running: rec.running, ExitCode: rec.exitCode, CanRemove: !rec.running && rec.started, DetachKeys: '',
    OpenStdin: rec.attach.stdin, OpenStdout: rec.attach.stdout, OpenStderr: rec.attach.stderr,
    ProcessConfig: { tty: rec.opts.tty, entrypoint: rec.opts.command[0], arguments: rec.opts.command.slice(1), privileged: false, user: rec.opts.user ?? '' },
    ContainerID: rec.containerId, Pid: 0,
  }));
}

async function resize(r: DockerRequest): Promise<void> {
  const rec = lookup(r);
  const h = Number(r.query.get('h'));
  const w = Number(r.query.get('w'));
  if (!(h > 0 && w > 0)) throw new DockerError(400, 'h and w: the terminal height and width are required');
  rec.session?.resize({ rows: h, cols: w });
  r.res.writeHead(200).end();
}

/** The exec routes. */
export const execRoutes: DockerRoute[] = [
  { method: 'POST', pattern: /^\/containers\/([^/]+)\/exec$/, handler: create },
  { method: 'POST', pattern: /^\/exec\/([^/]+)\/start$/, handler: start },
  { method: 'GET', pattern: /^\/exec\/([^/]+)\/json$/, handler: inspect },
  { method: 'POST', pattern: /^\/exec\/([^/]+)\/resize$/, handler: resize },
];
