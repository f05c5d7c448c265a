/**
 * /livez, /healthz and /readyz as kube-apiserver answers them: "ok", or with ?verbose (or when a
 * check fails) one line per check, "[+]name ok" or "[-]name failed: why", then "NAME check
 * passed|failed". A failed check answers 503. ?exclude=NAME leaves a check out.
 *
 *   /livez   ping                     the process serves requests (restarting it mends nothing else)
 *   /healthz ping, store              the store can write (store-health.ts: a cached write probe)
 *   /readyz  ping, store, started     and the server finished starting and is not shutting down
 */
import type { ServerResponse } from 'node:http';

/** Where the checks get their answers; an absent source counts as passing. */
export interface HealthSources {
  /** The server finished starting and is not shutting down. */
  ready?: () => boolean;
  /** Undefined when the store can write; else why not. */
  store?: () => Promise<string | undefined>;
}

/** Which endpoint. */
export type HealthEndpoint = 'livez' | 'healthz' | 'readyz';

const checksOf: Record<HealthEndpoint, readonly string[]> = {
  livez: ['ping'],
  healthz: ['ping', 'store'],
  readyz: ['ping', 'store', 'started'],
};

async function run(name: string, sources: HealthSources): Promise<string | undefined> {
  if (name === 'store') return sources.store?.();
  if (name === 'started') return (sources.ready?.() ?? true) ? undefined : 'the server is starting or shutting down';
  return undefined;
}

/** Answer one health endpoint. */
export async function serveHealth(res: ServerResponse, what: HealthEndpoint, query: URLSearchParams, sources: HealthSources): Promise<void> {
  const excluded = new Set(query.getAll('exclude'));
  const lines: string[] = [];
  let failed = false;
  for (const name of checksOf[what]) {
    if (excluded.has(name)) { lines.push(`[+]${name} excluded: ok`); continue; }
    let problem: string | undefined;
    try { problem = await run(name, sources); } catch (e) { problem = e instanceof Error ? e.message : String(e); }
    if (problem === undefined) lines.push(`[+]${name} ok`);
    else { failed = true; lines.push(`[-]${name} failed: ${problem}`); }
  }
  const verbose = query.has('verbose') && query.get('verbose') !== 'false';
  const body = failed || verbose ? `${lines.join('\n')}\n${what} check ${failed ? 'failed' : 'passed'}\n` : 'ok';
  res.writeHead(failed ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache, private', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
