/** The built-in registry's last scan-on-push summary of an image (lanternd server --scan-on-push), for `lcctl image inspect`. */
import type { Readable } from 'node:stream';
import { serverRegistryName } from '../distribution/server-name.js';
import { parseReference } from '../reference.js';

/** A GET on the server (lcctl's HttpClient.raw). */
export type RawGet = (path: string) => Promise<{ status: number; body: Readable }>;

/** The /v2/ path of REF's summary: by its path when it names the server's registry (serverHost), else as the server node's images are mirrored there. */
export function summaryPath(ref: string, serverHost: string): string | undefined {
  try {
    const r = parseReference(ref);
    const own = r.domain.toLowerCase() === serverHost.toLowerCase();
    const { repository, reference } = own ? { repository: r.path, reference: r.digest ?? r.tag ?? 'latest' } : serverRegistryName(ref);
    return `/v2/${repository}/_scan/${reference}`;
  } catch { return undefined; }
}

/** REF's summary, or undefined when there is none (scan on push off, not scanned yet, not in the registry). */
export async function registryScanSummary(get: RawGet, ref: string, serverHost: string): Promise<Record<string, unknown> | undefined> {
  const p = summaryPath(ref, serverHost);
  if (!p) return undefined;
  try {
    const res = await get(p);
    const chunks: Buffer[] = [];
    for await (const c of res.body) chunks.push(c as Buffer);
    if (res.status !== 200) return undefined;
    const doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc as Record<string, unknown> : undefined;
  } catch { return undefined; }
}
