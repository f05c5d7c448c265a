import type { HttpClient } from '../../src/client/http-client.js';
import { checkStop } from './cleanup.js';

/**
 * `total` requests shared by the clients, each one request at a time on its own keep-alive
 * connection; resolves with the wall time of the whole and each request's latency (ms).
 */
export async function drive(clients: HttpClient[], total: number, one: (c: HttpClient, i: number) => Promise<unknown>): Promise<{ wallMs: number; latencies: number[] }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(clients.map(async (c) => {
    for (let i = next++; i < total; i = next++) {
      checkStop();
      const s = performance.now();
      await one(c, i);
      latencies.push(performance.now() - s);
    }
  }));
  return { wallMs: performance.now() - t0, latencies };
}
