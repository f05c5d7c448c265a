import { checkStop } from './cleanup.js';

/** One thing to time: run() returns the milliseconds of one timed run; after() does untimed tidying. */
export interface Contender { name: string; run: (i: number) => Promise<number>; after?: () => Promise<void> }

/**
 * Time each contender `runs` times after `warmups` untimed runs. The contenders take turns, in an
 * order that rotates every round, so a burst of load from other work on the machine lands on all of
 * them rather than on one.
 */
export async function rounds(contenders: readonly Contender[], warmups: number, runs: number, progress?: (round: number) => void): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  let n = 0;
  for (let w = 0; w < warmups; w++) {
    for (const c of contenders) { checkStop(); await c.run(n++); await c.after?.(); }
  }
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(r + k) % contenders.length]!;
      checkStop();
      samples.get(c.name)!.push(await c.run(n++));
      await c.after?.();
    }
    progress?.(r + 1);
  }
  return samples;
}
