import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';

/** What Lantern records about a container beside its bundle (meta.json). */
export interface ContainerMeta {
  id: string;
  name: string;
  /** conmon's --cuuid; names the attach socket directory. */
  cuuid: string;
  cgroupPath: string;
  stopSignal: string;
  terminal: boolean;
  stdin: boolean;
  createdAt: string;
  startedAt?: string;
}

/** The first observed end of a container (exit.json); written once, never changed. */
export interface ExitRecord {
  /** Absent when the monitor died without writing an exit code. */
  exitCode?: number;
  finishedAt: string;
  oomKilled: boolean;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Throws when id could escape the state dir or confuse runc. */
export function assertValidId(id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new ApiError('Invalid', `invalid container id "${id}": use 1-128 letters, digits, '_', '.' or '-'`);
  }
}

/** Paths of everything one container owns under stateDir/containers/<id>/. */
export class ContainerDir {
  readonly dir: string;
  constructor(stateDir: string, readonly id: string) {
    assertValidId(id);
    this.dir = join(stateDir, 'containers', id);
  }
  get bundle(): string { return this.dir; }
  get configJson(): string { return join(this.dir, 'config.json'); }
  get labelsJson(): string { return join(this.dir, 'labels.json'); }
  get metaJson(): string { return join(this.dir, 'meta.json'); }
  get exitJson(): string { return join(this.dir, 'exit.json'); }
  get logPath(): string { return join(this.dir, 'ctr.log'); }
  get rootfs(): string { return join(this.dir, 'rootfs'); }
  get upper(): string { return join(this.dir, 'upper'); }
  get work(): string { return join(this.dir, 'work'); }
  get exitDir(): string { return join(this.dir, 'exits'); }
  get persistDir(): string { return join(this.dir, 'persist'); }
  /** conmon writes the exit code here (also to persist/exit). */
  get conmonExitFile(): string { return join(this.exitDir, this.id); }
  get conmonPidFile(): string { return join(this.dir, 'conmon.pid'); }
  get containerPidFile(): string { return join(this.dir, 'ctr.pid'); }
  exists(): boolean { return existsSync(this.dir); }
}

/** Reads a JSON file; undefined when missing or unreadable (a half-written file counts as missing). */
export async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Writes JSON through a temp file and rename, so readers never see half a file. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + '\n');
  await rename(tmp, path);
}
