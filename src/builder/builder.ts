/**
 * `lcctl build` on the node: parse the Dockerfile, build each stage up to the target with the layer
 * cache, print Docker's classic progress lines, and import the result into the image store.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { nodePlatform, ociArch, platformMatches, platformString, type Platform } from '../image/platform.js';

/**
 * `--platform` must name this node's platform: RUN steps execute natively in the node's runtime and this
 * builder has no emulation (binfmt_misc + qemu) for another architecture.
 */
export function checkBuildPlatform(text: string): void {
  const [os = '', architecture = '', variant] = text.trim().toLowerCase().split('/');
  const want: Platform = variant ? { os, architecture, variant } : { os, architecture };
  if (!os || !architecture) throw new Error(`invalid --platform "${text}": expected os/arch[/variant], e.g. linux/amd64`);
  const here = nodePlatform();
  if (!platformMatches(here, want)) {
    throw new Error(`cannot build for ${platformString(want)} on this ${platformString(here)} node: RUN steps run natively and there is no emulation; build on a ${platformString(want)} node (--node NAME)`);
  }
}
import type { ImageRecord, ImageStore } from '../image/types.js';
import type { ContainerRuntime } from '../runtime/types.js';
import { BuildCache } from './cache.js';
import { DockerfileError, parseDockerfile, type Stage } from './dockerfile.js';
import { envLookup } from './expand.js';
import { scratchState, stateId, type BuildState } from './image-config.js';
import { argDecls, singleWord } from './instructions.js';
import { LayerSources } from './layers.js';
import { recoverBuildCache } from './recover.js';
import { applyInstruction, type StageRun, type StepEnv } from './steps.js';
import { recoverStepNetworks, type BuildNetworkPlugin } from './step-network.js';
import { buildNetworkMode, buildNetworkProblem } from '../api/build-network.js';

/** What to build. */
export interface BuildRequest {
  /** The unpacked build context. */
  contextDir: string;
  /** Dockerfile path inside the context (default "Dockerfile"). */
  dockerfile?: string;
  tag?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  /** --platform: accepted when it is this node's platform (checked before anything runs). */
  platform?: string;
  /** --network of the RUN steps (default: the node's pod network through `BuilderOptions.network`). */
  network?: string;
}

/** Where the builder keeps things, which store it feeds and what runs its steps. */
export interface BuilderOptions {
  /** The node's image store: base images, step snapshots (its snapshotter) and the built image. */
  images: ImageStore;
  /** Runs RUN steps; any ContainerRuntime. Give it one whose containers the agent does not manage as pods. */
  runtime: ContainerRuntime;
  /** The build cache dir (index, built layers, scratch). */
  cacheDir: string;
  /** Pulls a missing base image into the store (absent: a missing base image is an error). */
  pull?: (ref: string) => Promise<void>;
  /** The node's network plugin: RUN steps of a --network default build get a namespace from it. */
  network?: BuildNetworkPlugin;
}

/** Builds images from Dockerfiles on this node, one build at a time. */
export class ImageBuilder {
  private readonly cache: BuildCache;
  private readonly layers: LayerSources;
  private queue: Promise<unknown> = Promise.resolve();
  private recovered = false;

  constructor(private readonly opts: BuilderOptions) {
    this.cache = new BuildCache(opts.cacheDir);
    this.layers = new LayerSources(opts.images, this.cache, opts.pull);
  }

  /** Runs the build, writing progress text to out; resolves with the stored image. */
  build(req: BuildRequest, out: (text: string) => void): Promise<ImageRecord> {
    const run = this.queue.then(() => this.buildNow(req, out));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async buildNow(req: BuildRequest, out: (text: string) => void): Promise<ImageRecord> {
    if (req.platform !== undefined) checkBuildPlatform(req.platform);
    const mode = buildNetworkMode(req.network ?? 'default');
    if (!mode) throw new Error(buildNetworkProblem(req.network ?? ''));
    const file = req.dockerfile ?? 'Dockerfile';
    const text = await readFile(join(req.contextDir, posix.normalize(`/${file}`))).catch(() => {
      throw new Error(`Cannot locate specified Dockerfile: ${file}`);
    });
    const df = parseDockerfile(text.toString('utf8'), posix.basename(file));
    const name = posix.basename(file);
    let last = df.stages.length - 1;
    if (req.target !== undefined) {
      last = df.stages.findIndex((s) => s.name === req.target?.toLowerCase());
      if (last < 0) throw new Error(`failed to reach build target ${req.target} in Dockerfile: no stage is named "${req.target}"`);
    }
    const stages = df.stages.slice(0, last + 1);
    const buildArgs = req.buildArgs ?? {};
    const globalArgs = new Map<string, string>();
    const usedArgs = new Set<string>();
    for (const ins of df.globalArgs) {
      for (const d of argDecls(name, ins, (n) => globalArgs.get(n))) {
        const v = buildArgs[d.name] ?? d.value;
        if (Object.hasOwn(buildArgs, d.name)) usedArgs.add(d.name);
        if (v !== undefined) globalArgs.set(d.name, v);
      }
    }
    const built = new Map<string, BuildState>();
    const env: StepEnv = {
      file: name, contextDir: req.contextDir, cache: this.cache, layers: this.layers, noCache: req.noCache === true,
      buildArgs, globalArgs, usedArgs, stageState: (ref) => built.get(ref), out, runtime: this.opts.runtime, snapshots: this.opts.images.snapshots,
      network: { mode, plugin: this.opts.network },
    };
    // Global ARGs count as steps, as in Docker's classic builder.
    const total = df.globalArgs.length + stages.reduce((n, s) => n + 1 + s.instructions.length, 0);
    let step = 0;
    let state: BuildState | undefined;
    await mkdir(this.cache.dir, { recursive: true });
    if (!this.recovered) {
      await recoverBuildCache(this.cache, this.opts.runtime, this.opts.images.snapshots);
      await recoverStepNetworks(this.opts.network);
      this.recovered = true;
    }
    for (const ins of df.globalArgs) out(`Step ${++step}/${total} : ${ins.original}\n`);
    for (const stage of stages) {
      out(`Step ${++step}/${total} : ${stage.from.original}\n`);
      const run: StageRun = { state: await this.fromState(env, stage, built), args: new Map() };
      if (stage.base.toLowerCase() !== 'scratch') out(` ---> ${stateId(run.state).slice(7, 19)}\n`);
      for (const ins of stage.instructions) {
        out(`Step ${++step}/${total} : ${ins.original}\n`);
        await applyInstruction(env, run, ins);
      }
      built.set(String(stage.index), run.state);
      if (stage.name) built.set(stage.name, run.state);
      state = run.state;
    }
    const unused = Object.keys(buildArgs).filter((k) => !usedArgs.has(k));
    if (unused.length > 0) out(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
    const final = state as BuildState;
    const id = stateId(final);
    const record = await this.store(final, req.tag);
    out(`Successfully built ${id.slice(7, 19)}\n`);
    if (req.tag) out(`Successfully tagged ${displayTag(req.tag)}\n`);
    return record;
  }

  private async fromState(env: StepEnv, stage: Stage, built: Map<string, BuildState>): Promise<BuildState> {
    const base = singleWord(env.file, { ...stage.from, args: stage.base }, envLookup([...env.globalArgs].map(([k, v]) => `${k}=${v}`)));
    if (base === '') throw new DockerfileError(env.file, stage.from.line, `FROM ${stage.base}: the image name is empty after substitution; pass it with --build-arg`);
    if (base.toLowerCase() === 'scratch') return scratchState(ociArch(process.arch));
    const earlier = built.get(base.toLowerCase());
    if (earlier) return earlier;
    try {
      return (await this.layers.baseState(base, env.out)).state;
    } catch (e) {
      throw new DockerfileError(env.file, stage.from.line, (e as Error).message);
    }
  }

  /** Imports the final state into the image store (which verifies every blob) under tag. */
  private async store(state: BuildState, tag: string | undefined): Promise<ImageRecord> {
    // A rebuild that changed nothing yields the same image ID (config digest) already stored under the
    // tag: exporting and re-importing it (copy, verify and fsync every blob) would only cost time.
    const have = await this.opts.images.resolve(tag ?? stateId(state));
    if (have?.id === stateId(state)) return have;
    await mkdir(this.cache.tmpDir, { recursive: true });
    const dir = await mkdtemp(join(this.cache.tmpDir, 'export-'));
    try {
      const file = join(dir, 'image.tar');
      await this.layers.writeArchive(state, file);
      const [record] = await this.opts.images.importArchive(file, tag);
      if (!record) throw new Error('the image store imported nothing');
      return record;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Docker's short form of a tag: "app:1" stays, "app" becomes "app:latest". */
function displayTag(tag: string): string {
  const slash = tag.lastIndexOf('/');
  return tag.slice(slash + 1).includes(':') ? tag : `${tag}:latest`;
}
