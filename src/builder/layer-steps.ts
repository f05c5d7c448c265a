/** The steps that may add a layer: WORKDIR (when the dir is missing), RUN, COPY and ADD. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { posix } from 'node:path';
import { cacheKey } from './cache.js';
import { copySources, findSources, hashSources, type Source } from './copy-step.js';
import { DockerfileError, type Instruction } from './dockerfile.js';
import type { Lookup } from './expand.js';
import { nextState, stateId } from './image-config.js';
import { commandArgv, copyArgs, singleWord } from './instructions.js';
import { resolveUserIn, scopedPath } from './rootfs-paths.js';
import { withStepRootfs } from './rootfs.js';
import { runStep } from './run-step.js';
import { cached, inContainer, layerStep, type StageRun, type StepEnv } from './step-env.js';

/** WORKDIR: sets the config, creating the directory in a layer when it is missing. */
export async function workdir(env: StepEnv, run: StageRun, ins: Instruction, lookup: Lookup, parent: string): Promise<void> {
  const raw = singleWord(env.file, ins, lookup);
  const dir = posix.resolve(run.state.config.config.WorkingDir || '/', raw);
  await cached(env, run, cacheKey(parent, `#(nop) WORKDIR ${dir}`), () => inContainer(env, async () => {
    // Docker creates a missing WORKDIR; that is the only time WORKDIR adds a layer.
    const layer = await layerStep(env, run, async (rootfs) => {
      const path = await scopedPath(rootfs, dir);
      if (existsSync(path)) return false;
      await mkdir(path, { recursive: true, mode: 0o755 });
      return true;
    });
    return nextState(run.state, `/bin/sh -c #(nop) WORKDIR ${dir}`, (c) => { c.WorkingDir = dir; }, layer);
  }));
}

/** RUN through the stage's SHELL (shell form) or as given (exec form). */
export async function runInstruction(env: StepEnv, run: StageRun, ins: Instruction, parent: string): Promise<void> {
  const argv = commandArgv(ins.args, run.state.config.config.Shell ?? ['/bin/sh', '-c']);
  const argEnv = [...run.args].filter(([k]) => !(run.state.config.config.Env ?? []).some((e) => e.startsWith(`${k}=`))).map(([k, v]) => `${k}=${v}`);
  const createdBy = `${argEnv.length > 0 ? `|${argEnv.length} ${argEnv.join(' ')} ` : ''}${argv.join(' ')}`;
  await cached(env, run, cacheKey(parent, createdBy), () => inContainer(env, async (id) => {
    const layer = await layerStep(env, run, async (rootfs, upper) => {
      const c = run.state.config.config;
      const code = await runStep({
        id, argv, env: [...(c.Env ?? []), ...argEnv], cwd: c.WorkingDir || '/', user: c.User ?? '',
        rootfs, upper, runtime: env.runtime, network: env.network, output: env.out,
      });
      // Docker's message; with --network none, say so: a failed download is the usual cause.
      const hint = env.network.mode === 'none' ? ' (this build runs RUN steps with --network none: loopback only)' : '';
      if (code !== 0) throw new Error(`The command '${argv.join(' ')}' returned a non-zero code: ${code}${hint}`);
      return true;
    });
    return nextState(run.state, createdBy, () => undefined, layer);
  }));
}

/** COPY and ADD from the context, an earlier stage or an image (--from). */
export async function copyInstruction(env: StepEnv, run: StageRun, ins: Instruction, lookup: Lookup, parent: string): Promise<void> {
  const { sources, dest: rawDest } = copyArgs(env.file, ins, lookup);
  const from = ins.flags.from;
  const chown = ins.flags.chown !== undefined ? singleWord(env.file, { ...ins, args: ins.flags.chown }, lookup) : undefined;
  const chmod = ins.flags.chmod !== undefined ? parseInt(ins.flags.chmod, 8) : undefined;
  if (chmod !== undefined && (Number.isNaN(chmod) || chmod > 0o7777)) throw new DockerfileError(env.file, ins.line, `invalid --chmod=${ins.flags.chmod}: use octal permission bits such as 755`);
  const workdir = run.state.config.config.WorkingDir || '/';
  const dest = (rawDest.startsWith('/') ? rawDest : posix.join(workdir, rawDest)) + (rawDest.endsWith('/') && rawDest !== '/' ? '/' : '');
  const flags = `${chown ? `--chown=${chown} ` : ''}${chmod !== undefined ? `--chmod=${ins.flags.chmod} ` : ''}`;
  const doCopy = async (found: Source[], hash: string): Promise<void> => {
    const text = `${ins.keyword} ${flags}${from ? `--from=${from} ` : ''}${hash} in ${dest}`;
    await cached(env, run, cacheKey(parent, text), async () => {
      const layer = await layerStep(env, run, async (rootfs) => {
        const owner = chown ? await resolveUserIn(rootfs, chown).catch((e: Error) => { throw new DockerfileError(env.file, ins.line, `--chown=${chown}: ${e.message}`); }) : { uid: 0, gid: 0 };
        await copySources(rootfs, found, dest, { owner, mode: chmod, extract: ins.keyword === 'ADD' && !from });
        return true;
      });
      return nextState(run.state, `/bin/sh -c #(nop) ${text} `, () => undefined, layer);
    });
  };
  try {
    if (!from) {
      const found = await findSources(env.contextDir, sources, ins.keyword);
      await doCopy(found, `file:${await hashSources(found)}`);
      return;
    }
    const src = env.stageState(from.toLowerCase());
    const srcState = src ?? (await env.layers.baseState(from, env.out)).state;
    await withStepRootfs(env.snapshots, await env.layers.fsDirs(srcState), async (r) => {
      const found = await findSources(r.rootfs, sources, ins.keyword);
      await doCopy(found, `${stateId(srcState).slice(7, 19)}:${sources.join(',')}`);
    });
  } catch (e) {
    if (e instanceof DockerfileError) throw e;
    throw new DockerfileError(env.file, ins.line, (e as Error).message);
  }
}
