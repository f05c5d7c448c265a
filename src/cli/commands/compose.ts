/** lcctl compose up|down|ps|logs|config|pull|build: a Compose file as one namespace of Kubernetes objects. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { CommandSpec, Parsed } from '../args.js';
import { connect } from '../connect.js';
import { UsageError } from '../errors.js';
import { loadCompose, projectName, ComposeError } from '../compose/load.js';
import type { ComposeProject } from '../compose/model.js';
import { translate } from '../compose/translate.js';
import { allReady, down, up } from '../compose/up.js';
import { projectLogs, projectPods, psTable } from '../compose/views.js';
import { parseDuration } from '../output/durations.js';

/** The verb's flags and help text. */
export const spec: CommandSpec = {
  name: 'compose',
  usage: 'compose [-f FILE] [-p PROJECT] up|down|ps|logs|config|pull|build [OPTIONS] [SERVICE...]',
  summary: 'Run a Compose file as Deployments and Services in one namespace per project',
  style: 'docker',
  flags: [
    { name: 'file', short: 'f', type: 'string', help: 'Compose file (default: compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml)' },
    { name: 'project-name', short: 'p', type: 'string', help: 'Project name (default: the file\'s name: key, else its folder\'s name); also the namespace' },
    { name: 'detach', short: 'd', type: 'bool', help: 'up: return once created instead of following the logs' },
    { name: 'wait', type: 'bool', help: 'up: wait until every service is ready (healthy) before returning' },
    { name: 'timeout', type: 'string', help: 'How long up --wait, depends_on and down wait (default 5m)' },
    { name: 'follow', type: 'bool', help: 'logs: follow log output' },
    { name: 'tail', type: 'int', help: 'logs: number of lines from the end of each log' },
  ],
  notes: 'A service becomes a Deployment and a headless Service (its name resolves to its containers);\npublished ports are hostPorts on the node that runs the container; named volumes are PersistentVolumeClaims.\nlcctl compose down deletes the project\'s namespace and everything in it.',
};

const defaultFiles = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

/** Find and read the Compose file; the project name comes from -p, the file's name: or its folder. */
function load(p: Parsed): ComposeProject {
  const given = p.str('file');
  const file = given ?? defaultFiles.find((f) => existsSync(f));
  if (file === undefined) throw new UsageError(`no Compose file: none of ${defaultFiles.join(', ')} is in ${process.cwd()}; name one with -f FILE`);
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`cannot read ${file}: ${(e as Error).message}`); }
  const dir = path.dirname(path.resolve(file));
  const project = p.str('project-name');
  let env: Record<string, string | undefined> = { ...process.env };
  const dotenv = path.join(dir, '.env');
  if (existsSync(dotenv)) env = { ...Object.fromEntries(readFileSync(dotenv, 'utf8').split('\n').filter((l) => /^[A-Za-z_]\w*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])), ...env };
  try {
    return loadCompose(text, { dir, env, read: (f) => readFileSync(f, 'utf8'), ...(project ? { project } : {}) });
  } catch (e) {
    if (e instanceof ComposeError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

/** Run another lcctl verb (build, pull) as a child with the same connection flags. */
function lcctl(p: Parsed, args: string[]): Promise<number> {
  const conn = [...(p.str('server') ? ['--server', p.str('server')!] : []), ...(p.str('token') ? ['--token', p.str('token')!] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [process.argv[1]!, ...conn, ...args], { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Build every service with `build:` (through lcctl build), tagging the service's image. */
async function buildAll(p: Parsed, project: ComposeProject, only: string[]): Promise<number> {
  for (const s of project.services) {
    if (!s.build || (only.length > 0 && !only.includes(s.name))) continue;
    const args = ['build', '-t', s.image, ...(s.build.dockerfile ? ['-f', path.join(s.build.context, s.build.dockerfile)] : []), s.build.context];
    const code = await lcctl(p, args);
    if (code !== 0) return code;
  }
  return 0;
}

/** Run the verb; resolves with the exit status. */
export async function run(p: Parsed): Promise<number> {
  const [sub, ...rest] = p.args;
  const say = (l: string): void => { process.stderr.write(`${l}\n`); };
  const timeoutText = p.str('timeout');
  const timeoutS = timeoutText === undefined ? 300 : parseDuration(timeoutText);
  if (timeoutS === undefined) throw new UsageError(`invalid argument "${timeoutText}" for "--timeout" flag: expected a duration such as 90s or 5m`);
  const timeoutMs = timeoutS * 1000;
  switch (sub) {
    case 'config': {
      const project = load(p);
      for (const w of project.warnings) say(`WARN ${w}`);
      const { warnings: _w, ...model } = project;
      process.stdout.write(stringify(model));
      return 0;
    }
    case 'up': {
      const project = load(p);
      const plan = translate(project);
      for (const w of plan.warnings) say(`WARN ${w}`);
      if (project.services.some((s) => s.build)) {
        const code = await buildAll(p, project, rest);
        if (code !== 0) return code;
      }
      const client = connect(p);
      await up(client, plan, { timeoutMs, say });
      if (p.bool('wait')) {
        const deadline = Date.now() + timeoutMs;
        while (!(await allReady(client, plan))) {
          if (Date.now() > deadline) { say(`services of ${project.name} not all ready after ${timeoutS}s: see lcctl compose ps`); return 1; }
          await new Promise((r) => setTimeout(r, 500));
        }
        say(` Project ${project.name}  Ready`);
      }
      if (!p.bool('detach') && !p.bool('wait')) await projectLogs(client, project.name, [], { follow: true });
      return 0;
    }
    case 'down': {
      const name = p.str('project-name') ? projectName(p.str('project-name')!) : load(p).name;
      if (!(await down(connect(p), name, { timeoutMs, say }))) say(`project ${name} is not running (no namespace ${name})`);
      return 0;
    }
    case 'ps': {
      const name = p.str('project-name') ? projectName(p.str('project-name')!) : load(p).name;
      process.stdout.write(psTable(await projectPods(connect(p), name, rest)));
      return 0;
    }
    case 'logs': {
      const name = p.str('project-name') ? projectName(p.str('project-name')!) : load(p).name;
      const tail = p.int('tail');
      await projectLogs(connect(p), name, rest, { follow: p.bool('follow'), ...(tail !== undefined ? { tail } : {}) });
      return 0;
    }
    case 'build': return buildAll(p, load(p), rest);
    case 'pull': {
      const project = load(p);
      for (const s of project.services) {
        if (s.build || (rest.length > 0 && !rest.includes(s.name))) continue;
        const code = await lcctl(p, ['pull', s.image]);
        if (code !== 0) return code;
      }
      return 0;
    }
    default:
      throw new UsageError(sub === undefined ? 'lcctl compose needs a command: up, down, ps, logs, config, pull or build' : `unknown compose command "${sub}": expected up, down, ps, logs, config, pull or build`);
  }
}
