/** lcctl build on this node: unpack the context tar into a temp dir and hand it to the builder. */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../api/errors.js';
import { imageTagProblem, invalidTagMessage } from '../api/image-tag.js';
import type { ImageBuildOptions } from '../api/node-services.js';
import type { ImageBuilder } from '../builder/builder.js';
import type { ImageRecord } from '../image/types.js';

/** Extracts context into a fresh dir under dataDir and builds it; the dir is always removed. */
export async function buildFromContext(builder: ImageBuilder | undefined, dataDir: string, context: Readable, opts: ImageBuildOptions, progress: (text: string) => void): Promise<ImageRecord> {
  if (!builder) throw new ApiError('BadRequest', 'this node has no image builder (it was started without one): build on another node (--node NAME)');
  const problem = opts.tag === undefined ? undefined : imageTagProblem(opts.tag);
  if (problem) throw new ApiError('BadRequest', invalidTagMessage(opts.tag!, problem));
  await mkdir(dataDir, { recursive: true });
  const dir = await mkdtemp(path.join(dataDir, 'tmp-build-'));
  try {
    await untar(context, dir);
    return await builder.build({ contextDir: dir, ...opts }, progress);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** GNU tar refuses absolute and `..` member names, so a context cannot write outside dir. */
function untar(input: Readable, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-x', '-C', dir, '-p', '--no-same-owner'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    // An upload cut short (the client hung up, even before we got here) kills tar: a partial context must not build.
    let cut = false;
    child.on('error', (e) => reject(new Error(`cannot run tar: ${e.message}`)));
    child.on('close', (code) => {
      if (cut) reject(new ApiError('BadRequest', 'the build context upload was cut short'));
      else if (code === 0) resolve();
      else reject(new ApiError('BadRequest', `the build context is not a readable tar: ${err.trim()}`));
    });
    child.stdin.on('error', () => undefined);
    pipeline(input, child.stdin).catch(() => { cut = true; child.kill('SIGKILL'); });
  });
}
