/** One stage's instructions applied to its state, with the layer cache, as Docker's classic builder. */
import { DockerfileError, type Instruction } from './dockerfile.js';
import { cacheKey } from './cache.js';
import { envLookup, type Lookup } from './expand.js';
import { nextState, setEnv, stateId, type BuildRunConfig } from './image-config.js';
import { argDecls, commandArgv, exposedPorts, keyValues, shellArgv, singleWord, volumes } from './instructions.js';
import { healthcheckConfig } from './healthcheck.js';
import { copyInstruction, runInstruction, workdir } from './layer-steps.js';
import { cached, inContainer, type StageRun, type StepEnv } from './step-env.js';

export type { StageRun, StepEnv } from './step-env.js';

/** Variables visible to an instruction: ENV wins over ARG. */
function lookupFor(run: StageRun): Lookup {
  const env = envLookup(run.state.config.config.Env ?? []);
  return (name) => env(name) ?? run.args.get(name);
}

/** Applies one instruction; prints Docker's step lines after the "Step i/N" header. */
export async function applyInstruction(env: StepEnv, run: StageRun, ins: Instruction): Promise<void> {
  const lookup = lookupFor(run);
  const parent = stateId(run.state);
  const meta = (text: string, change: (c: BuildRunConfig) => void): Promise<void> =>
    cached(env, run, cacheKey(parent, `#(nop) ${text}`), () => inContainer(env, async () => nextState(run.state, `/bin/sh -c #(nop)  ${text}`, change)));
  switch (ins.keyword) {
    case 'ENV': {
      const pairs = keyValues(env.file, ins, lookup);
      return meta(`ENV ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`, (c) => { for (const [k, v] of pairs) c.Env = setEnv(c.Env, k, v); });
    }
    case 'LABEL': {
      const pairs = keyValues(env.file, ins, lookup);
      return meta(`LABEL ${pairs.map(([k, v]) => `${k}=${v}`).join(' ')}`, (c) => { c.Labels = { ...(c.Labels ?? {}), ...Object.fromEntries(pairs) }; });
    }
    case 'MAINTAINER': {
      const who = ins.args;
      return cached(env, run, cacheKey(parent, `#(nop) MAINTAINER ${who}`), () => inContainer(env, async () => {
        const s = nextState(run.state, `/bin/sh -c #(nop)  MAINTAINER ${who}`, () => undefined);
        s.config.author = who;
        return s;
      }));
    }
    case 'ARG': {
      for (const d of argDecls(env.file, ins, lookup)) {
        const value = env.buildArgs[d.name] ?? d.value ?? env.globalArgs.get(d.name);
        if (Object.hasOwn(env.buildArgs, d.name)) env.usedArgs.add(d.name);
        if (value !== undefined) run.args.set(d.name, value);
        else run.args.delete(d.name);
      }
      return meta(`ARG ${ins.args}`, () => undefined);
    }
    case 'USER': {
      const user = singleWord(env.file, ins, lookup);
      return meta(`USER ${user}`, (c) => { c.User = user; });
    }
    case 'CMD': case 'ENTRYPOINT': {
      const argv = ins.args === '' ? [] : commandArgv(ins.args, run.state.config.config.Shell ?? ['/bin/sh', '-c']);
      const keepCmd = run.cmdSet === true;
      if (ins.keyword === 'CMD') run.cmdSet = true;
      return meta(`${ins.keyword} ${JSON.stringify(argv)}`, (c) => {
        if (ins.keyword === 'CMD') c.Cmd = argv;
        else {
          c.Entrypoint = argv;
          // Docker: an ENTRYPOINT drops the CMD inherited from the base image.
          if (!keepCmd) delete c.Cmd;
        }
      });
    }
    case 'EXPOSE': {
      const ports = exposedPorts(env.file, ins, lookup);
      return meta(`EXPOSE ${ports.join(' ')}`, (c) => { c.ExposedPorts = { ...(c.ExposedPorts ?? {}), ...Object.fromEntries(ports.map((p) => [p, {}])) }; });
    }
    case 'VOLUME': {
      const vols = volumes(env.file, ins, lookup);
      return meta(`VOLUME ${JSON.stringify(vols)}`, (c) => { c.Volumes = { ...(c.Volumes ?? {}), ...Object.fromEntries(vols.map((v) => [v, {}])) }; });
    }
    case 'SHELL': {
      const shell = shellArgv(env.file, ins);
      return meta(`SHELL ${JSON.stringify(shell)}`, (c) => { c.Shell = shell; });
    }
    case 'STOPSIGNAL': {
      const sig = singleWord(env.file, ins, lookup);
      return meta(`STOPSIGNAL ${sig}`, (c) => { c.StopSignal = sig; });
    }
    case 'HEALTHCHECK': {
      const hc = healthcheckConfig(env.file, ins);
      return meta(`HEALTHCHECK ${JSON.stringify(hc)}`, (c) => { c.Healthcheck = hc; });
    }
    case 'WORKDIR': return workdir(env, run, ins, lookup, parent);
    case 'RUN': return runInstruction(env, run, ins, parent);
    case 'COPY': case 'ADD': return copyInstruction(env, run, ins, lookup, parent);
    default: throw new DockerfileError(env.file, ins.line, `unknown instruction ${ins.keyword}`);
  }
}
