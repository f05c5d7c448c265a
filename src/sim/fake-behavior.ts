import { parseDuration } from '../api/duration.js';
import type { Pod } from '../api/pod.js';

/**
 * How a pod asks a fake node what to do (Nomad's mock driver: run_for, exit_code, start_error). The
 * annotation wins; else the env var of that name on any of its containers (`lcctl run -e` sets one).
 */
export const FakeAnnotations = {
  /** Run this long ("2s", "500ms", "1m"), then exit; absent: run until stopped or deleted (or the node's --run-for). */
  runFor: 'lantern.dev/fake-run-for',
  /** Exit with this code when the run ends: 0 Succeeded/Completed, else Failed/Error (default 0). */
  exitCode: 'lantern.dev/fake-exit-code',
  /** Never start: the containers wait with this message ("Reason: message" sets the reason; default CreateContainerError). */
  startError: 'lantern.dev/fake-start-error',
} as const;

/** The env vars that stand for the annotations, for clients that can set env but not annotations. */
export const FakeEnv = { runFor: 'LANTERN_FAKE_RUN_FOR', exitCode: 'LANTERN_FAKE_EXIT_CODE', startError: 'LANTERN_FAKE_START_ERROR' } as const;

/** What a pod's containers do on a fake node. */
export interface FakeBehavior {
  /** How long they run before they exit; undefined: until stopped or deleted. */
  runForMs?: number;
  /** The code they exit with when the run ends. */
  exitCode: number;
  /** They never start: each waits with this reason and message, and the pod stays Pending. */
  startError?: { reason: string; message: string };
}

/** The behaviour POD asks for; without a run time of its own it runs for defaultRunForMs (the node's --run-for). */
export function fakeBehavior(pod: Pod, defaultRunForMs?: number): FakeBehavior {
  const runFor = setting(pod, 'runFor');
  const exitCode = setting(pod, 'exitCode');
  const startError = setting(pod, 'startError');
  if (startError !== undefined) return { exitCode: 0, startError: startErrorOf(startError) };
  const runForMs = runFor === undefined ? defaultRunForMs : parseDuration(runFor);
  if (runForMs === undefined && runFor !== undefined) return invalid(FakeAnnotations.runFor, runFor, 'a duration such as 2s, 500ms or 1m');
  const code = exitCode === undefined ? 0 : Number(exitCode);
  if (!Number.isInteger(code) || code < 0 || code > 255) return invalid(FakeAnnotations.exitCode, exitCode ?? '', 'a whole number from 0 to 255');
  return { ...(runForMs === undefined ? {} : { runForMs }), exitCode: code };
}

function setting(pod: Pod, key: keyof typeof FakeAnnotations): string | undefined {
  const a = pod.metadata.annotations?.[FakeAnnotations[key]];
  if (a !== undefined) return a;
  for (const c of pod.spec.containers) {
    const v = c.env?.find((e) => e.name === FakeEnv[key])?.value;
    if (v !== undefined) return v;
  }
  return undefined;
}

function startErrorOf(text: string): { reason: string; message: string } {
  const m = /^([A-Z][A-Za-z]+): (.+)$/s.exec(text);
  return m ? { reason: m[1]!, message: m[2]! } : { reason: 'CreateContainerError', message: text };
}

/** A setting the fake node cannot read fails the start, naming the setting and what it takes. */
function invalid(name: string, value: string, wanted: string): FakeBehavior {
  return { exitCode: 0, startError: { reason: 'CreateContainerConfigError', message: `${name} ${JSON.stringify(value)} is not ${wanted}` } };
}
