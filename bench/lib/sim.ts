import type { ChildProcess } from 'node:child_process';
import type { Node } from '../../src/api/node.js';
import type { HttpClient } from '../../src/client/http-client.js';
import { startSim as startSimProcess } from '../../test/harness/sim.js';
import { onCleanup } from './cleanup.js';

/** A running `lanternd sim` process and what it printed. */
export interface SimProcess { proc: ChildProcess; pid: number; output: () => string; failedWrites: () => number }

/** Start `lanternd sim` with the admin token (one shared client and one pod watch); stopped on cleanup. */
export function startSim(server: string, token: string, nodes: number, heartbeat: string, extraArgs: readonly string[] = []): SimProcess {
  let failures = 0;
  const sim = startSimProcess(server, token, ['--nodes', String(nodes), '--heartbeat-interval', heartbeat, ...extraArgs], {
    keepOutput: 20_000, onOutput: (text) => { failures += text.match(/write failed/g)?.length ?? 0; },
  });
  onCleanup('stop lanternd sim', () => sim.stop());
  return { proc: sim.proc, pid: sim.pid, output: () => sim.log, failedWrites: () => failures };
}

/** True when the node's Ready condition is True. */
export const isReady = (n: Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/**
 * Watch nodes until `count` of them are Ready; resolves with the ms from `t0` until the first node
 * was seen and until the last one turned Ready. Rejects when `failed()` names a reason to give up.
 */
export function waitReady(client: HttpClient, count: number, t0: number, failed: () => string | undefined, timeoutMs: number): Promise<{ firstMs: number; allMs: number }> {
  return new Promise((resolve, reject) => {
    const ready = new Set<string>();
    let firstMs: number | undefined;
    const w = client.watch<Node>('nodes', undefined, {}, (e) => {
      firstMs ??= performance.now() - t0;
      if (e.type !== 'DELETED' && isReady(e.object)) ready.add(e.object.metadata.name); else ready.delete(e.object.metadata.name);
      if (ready.size >= count) finish(() => resolve({ firstMs: firstMs ?? 0, allMs: performance.now() - t0 }));
    });
    const check = setInterval(() => {
      const why = failed() ?? (performance.now() - t0 > timeoutMs ? `timed out after ${timeoutMs / 1000} s with ${ready.size}/${count} nodes Ready` : undefined);
      if (why) finish(() => reject(new Error(why)));
    }, 500);
    w.done.catch((e: unknown) => finish(() => reject(new Error(`node watch broke: ${String(e)}`))));
    let over = false;
    function finish(then: () => void): void {
      if (over) return;
      over = true;
      clearInterval(check);
      w.stop();
      then();
    }
  });
}

/** The store's revision now (a list that matches nothing still carries it): every write bumps it. */
export async function revision(client: HttpClient): Promise<number> {
  const list = await client.list<Node>('nodes', undefined, { labelSelector: 'bench.lantern.dev/none=none' });
  return Number(list.metadata.resourceVersion);
}
