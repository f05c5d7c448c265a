/** Exec instances between `POST /containers/{id}/exec`, `/exec/{id}/start` and `/exec/{id}/json`. */
import { randomBytes } from 'node:crypto';
import type { PodExecOptions, PodExecSession } from '../../api/node-services.js';

/** One exec instance. */
export interface ExecRecord {
  id: string;
  namespace: string;
  pod: string;
  containerId: string;
  opts: PodExecOptions;
  attach: { stdin: boolean; stdout: boolean; stderr: boolean };
  running: boolean;
  started: boolean;
  exitCode: number | null;
  session?: PodExecSession;
  createdAt: number;
}

/** Instances kept; the oldest finished ones go first (Docker keeps them until the container goes). */
const MAX_EXECS = 1000;

/** Add an instance under a new 64-hex ID, dropping old finished ones beyond the cap. */
export function addExec(execs: Map<string, ExecRecord>, rec: Omit<ExecRecord, 'id' | 'createdAt'>): ExecRecord {
  const full: ExecRecord = { ...rec, id: randomBytes(32).toString('hex'), createdAt: Date.now() };
  execs.set(full.id, full);
  if (execs.size > MAX_EXECS) {
    for (const [id, e] of execs) {
      if (execs.size <= MAX_EXECS) break;
      if (!e.running) execs.delete(id);
    }
  }
  return full;
}
